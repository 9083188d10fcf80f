/* libFuzzer harness of the C ABI. The input picks an entry point, then its sizes, strides, enums
 * (valid or not), thread count and values; buffers are allocated to exactly the extent those
 * arguments imply, so ASan flags any access past what the contract allows. Every call must return
 * a known status, with a message whenever it is not OK; a call the scalar path accepts must be
 * accepted by every SIMD path too, with the same results. Values are small multiples of 1/4, so
 * sums of products are exact in float and every exact kernel (GEMM, convolution, pooling, row
 * sums) must agree with the scalar reference bit for bit whatever its summation order; kernels
 * with transcendental math agree within a tolerance.
 *
 * Built by ./build.sh fuzz with clang-16 -fsanitize=fuzzer,address,undefined; replayed over the
 * committed corpus by replay_main.c in every CTest run. */
#include "hpcnn.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t* p;
    size_t n;
} bytes;

static uint8_t u8(bytes* b) {
    if (!b->n) return 0;
    b->n--;
    return *b->p++;
}
/* In [0, range). */
static int64_t pick(bytes* b, int64_t range) { return range > 0 ? (int64_t)u8(b) % range : 0; }
/* An enum value: mostly valid ones, sometimes anything (including negative). */
static int enum_value(bytes* b, int count) {
    uint8_t v = u8(b);
    return v < 240 ? v % count : (int)(int8_t)v;
}
/* One of a few exact scalars, or a non-finite / odd one now and then (which clears *exact: the
 * paths may then round differently, so only statuses and memory safety are compared). */
static float scalar(bytes* b, int* exact) {
    static const float table[] = {0.0f, 1.0f, 0.5f, -2.0f, 0.25f, -1.0f, 2.0f, 1.5f};
    uint8_t v = u8(b);
    if (v < 248) return table[v % 8];
    *exact = 0;
    static const float odd[] = {NAN, INFINITY, -INFINITY, 1e30f, -0.0f, 1e-30f, 3.0f, 0.75f};
    return odd[v % 8];
}
static float* floats(bytes* b, int64_t n) {
    float* x = (float*)malloc((size_t)(n > 0 ? n : 1) * sizeof(float));
    for (int64_t i = 0; i < n; i++) x[i] = (float)((int)(u8(b) % 9) - 4) * 0.25f;
    return x;
}

/* ---- the paths under test ---- */

#define MAX_PATHS 3
static hpc_ctx* ctxs[MAX_PATHS];
static int npaths;

static void init_paths(void) {
    if (npaths) return;
    static const hpc_isa all[] = {HPC_ISA_SCALAR, HPC_ISA_AVX2, HPC_ISA_AVX512};
    for (int i = 0; i < 3; i++) {
        int32_t ok = 0;
        hpc_isa_supported(all[i], &ok);
        if (ok && hpc_ctx_create_with_isa(all[i], &ctxs[npaths]) == HPC_STATUS_OK) npaths++;
    }
    if (!npaths) abort();
}

static void check_status(hpc_ctx* ctx, hpc_status st, const char* what) {
    if (st < HPC_STATUS_OK || st > HPC_STATUS_INTERNAL_ERROR) {
        fprintf(stderr, "%s: unknown status %d\n", what, (int)st);
        abort();
    }
    if (st == HPC_STATUS_INTERNAL_ERROR || (st != HPC_STATUS_OK && !hpc_ctx_last_error(ctx)[0])) {
        fprintf(stderr, "%s: status %s, message '%s'\n", what, hpc_status_name(st), hpc_ctx_last_error(ctx));
        abort();
    }
}

/* Records the first failure of a sequence of calls; each call's status is checked right away,
 * while the context still holds its message. */
struct result;
static void step(hpc_ctx* ctx, struct result* r, hpc_status st, const char* what);

/* Results of one path: up to 4 output buffers and 2 scalars. */
typedef struct result {
    float* out[4];
    int64_t len[4];
    float s[2];
    hpc_status st;
} result;

static void step(hpc_ctx* ctx, result* r, hpc_status st, const char* what) {
    check_status(ctx, st, what);
    if (r->st == HPC_STATUS_OK) r->st = st;
}

/* tol: 0 bit-identical, > 0 relative, < 0 statuses only. */
static void compare(const char* what, const result* ref, const result* r, double tol, hpc_isa isa) {
    if ((ref->st == HPC_STATUS_OK) != (r->st == HPC_STATUS_OK)) {
        fprintf(stderr, "%s: scalar says %s, %s says %s\n", what, hpc_status_name(ref->st), hpc_isa_name(isa),
                hpc_status_name(r->st));
        abort();
    }
    if (ref->st != HPC_STATUS_OK || tol < 0) return;
    for (int o = 0; o < 4; o++)
        for (int64_t i = 0; i < ref->len[o]; i++) {
            float a = ref->out[o][i], b = r->out[o][i];
            if (isnan(a) && isnan(b)) continue;
            if (tol == 0 ? memcmp(&a, &b, sizeof a) != 0 && !(a == 0 && b == 0)
                         : !(fabs((double)a - b) <= tol * (1 + fabs((double)a)))) {
                fprintf(stderr, "%s: output %d[%lld]: scalar %.9g, %s %.9g\n", what, o, (long long)i, a,
                        hpc_isa_name(isa), b);
                abort();
            }
        }
    for (int k = 0; k < 2; k++) {
        double a = ref->s[k], b = r->s[k];
        if (!(isnan(a) && isnan(b)) && !(fabs(a - b) <= (tol ? tol : 1e-6) * (1 + fabs(a)))) {
            fprintf(stderr, "%s: scalar %d: scalar %.9g, %s %.9g\n", what, k, a, hpc_isa_name(isa), b);
            abort();
        }
    }
}

static void free_result(result* r) {
    for (int o = 0; o < 4; o++) free(r->out[o]);
}

/* Output buffers start as copies of `init` (in-out arguments) or filled with a NaN pattern. */
static float* out_buf(const float* init, int64_t n) {
    float* y = (float*)malloc((size_t)(n > 0 ? n : 1) * sizeof(float));
    for (int64_t i = 0; i < n; i++) y[i] = init ? init[i] : NAN;
    return y;
}

/* Extent of a rows x cols matrix with row stride ld (0 when empty or the stride is invalid). */
static int64_t extent(int64_t rows, int64_t cols, int64_t ld) {
    if (rows <= 0 || cols <= 0 || ld < cols) return rows > 0 && cols > 0 ? rows * cols : 0;
    return (rows - 1) * ld + cols;
}

/* ---- one entry point per op ---- */

typedef struct {
    int op;
    int64_t m, n, k, lda, ldb, ldc;
    int ta, tb, act, mode, flag;
    float alpha, beta, param;
    float *a, *b, *c, *bias, *t;
    int32_t* labels;
    hpc_conv2d_desc conv;
    hpc_pool2d_desc pool;
    int64_t ws_bytes;
    uint64_t seed;
} call;

static void run(hpc_ctx* ctx, const call* c, result* r) {
    memset(r, 0, sizeof *r);
    float **o = r->out;
    int64_t* len = r->len;
    switch (c->op) {
    case 0: /* GEMM, plain and fused */
    case 1: {
        len[0] = extent(c->m, c->n, c->ldc);
        o[0] = out_buf(c->c, len[0]);
        if (c->op == 0)
            step(ctx, r, hpc_sgemm(ctx, (hpc_transpose)c->ta, (hpc_transpose)c->tb, c->m, c->n, c->k, c->alpha, c->a, c->lda,
                              c->b, c->ldb, c->beta, o[0], c->ldc), "hpc_sgemm");
        else
            step(ctx, r, hpc_sgemm_bias_act(ctx, (hpc_transpose)c->ta, (hpc_transpose)c->tb, c->m, c->n, c->k, c->alpha, c->a,
                                       c->lda, c->b, c->ldb, c->beta, o[0], c->ldc, c->bias, (hpc_bias_mode)c->mode,
                                       (hpc_activation)c->act), "hpc_sgemm_bias_act");
        break;
    }
    case 2: { /* activation forward + backward */
        int64_t n = c->m * c->n;
        len[0] = len[1] = n;
        o[0] = out_buf(NULL, n);
        o[1] = out_buf(NULL, n);
        step(ctx, r, hpc_bias_act_forward(ctx, (hpc_activation)c->act, c->param, c->m, c->n, c->a, c->flag ? c->bias : NULL, o[0]), "hpc_bias_act_forward");
        if (r->st == HPC_STATUS_OK)
            step(ctx, r, hpc_act_backward(ctx, (hpc_activation)c->act, c->param, n, c->a, o[0], c->b, o[1]), "hpc_act_backward");
        break;
    }
    case 3: /* row sums, PReLU */
        len[0] = c->n;
        len[1] = len[2] = c->m * c->n;
        len[3] = c->n;
        o[0] = out_buf(c->bias, len[0]);
        o[1] = out_buf(NULL, len[1]);
        o[2] = out_buf(NULL, len[2]);
        o[3] = out_buf(NULL, len[3]);
        step(ctx, r, hpc_sum_rows(ctx, c->m, c->n, c->a, c->lda, c->beta, o[0]), "hpc_sum_rows");
        if (r->st == HPC_STATUS_OK) step(ctx, r, hpc_prelu_forward(ctx, c->m, c->n, c->a, c->bias, o[1]), "hpc_prelu_forward");
        if (r->st == HPC_STATUS_OK) step(ctx, r, hpc_prelu_backward(ctx, c->m, c->n, c->a, c->bias, c->b, o[2], o[3]), "hpc_prelu_backward");
        break;
    case 4: /* softmax cross-entropy, softmax */
        len[0] = len[1] = len[2] = c->m * c->n;
        o[0] = out_buf(NULL, len[0]);
        o[1] = out_buf(NULL, len[1]);
        o[2] = out_buf(NULL, len[2]);
        step(ctx, r, hpc_softmax_cross_entropy(ctx, c->m, c->n, c->a, c->lda, c->labels, &r->s[0], c->flag ? o[0] : NULL), "hpc_softmax_cross_entropy");
        if (r->st == HPC_STATUS_OK) step(ctx, r, hpc_softmax_forward(ctx, c->m, c->n, c->a, o[1]), "hpc_softmax_forward");
        if (r->st == HPC_STATUS_OK) step(ctx, r, hpc_softmax_backward(ctx, c->m, c->n, o[1], c->b, o[2]), "hpc_softmax_backward");
        break;
    case 5: { /* pointwise losses */
        int64_t n = c->m * c->n;
        len[0] = n;
        o[0] = out_buf(NULL, n);
        hpc_status (*fns[])(hpc_ctx*, int64_t, const float*, const float*, float*, float*) = {
            hpc_mse_loss, hpc_sse_loss, hpc_l1_loss, hpc_bce_logits_loss};
        step(ctx, r, fns[c->mode & 3](ctx, c->k < 0 ? -1 : n, c->a, c->t, &r->s[0], c->flag ? o[0] : NULL), "pointwise loss");
        break;
    }
    case 6: { /* optimizer steps */
        int64_t n = c->m * c->n;
        len[0] = len[1] = len[2] = n;
        o[0] = out_buf(c->a, n);
        o[1] = out_buf(c->c, n); /* state arrays: from the same values on every path */
        o[2] = out_buf(c->t, n);
        for (int64_t i = 0; i < n; i++) o[2][i] = fabsf(o[2][i]); /* second moments are >= 0 */
        float lr = fabsf(c->alpha) * 0.01f, mom = fabsf(c->beta) * 0.25f;
        switch (c->mode % 5) {
        case 0: step(ctx, r, hpc_sgd_update(ctx, n, lr, mom, c->param, 0.0f, o[0], c->b, c->flag ? o[1] : NULL), "hpc_sgd_update"); break;
        case 1: step(ctx, r, hpc_nesterov_update(ctx, n, lr, mom, 0.0f, c->param, o[0], c->b, o[1]), "hpc_nesterov_update"); break;
        case 2: step(ctx, r, hpc_rmsprop_update(ctx, n, lr, 0.9f, 1e-3f, mom, 0.0f, 0.0f, o[0], c->b, o[2], c->flag ? o[1] : NULL), "hpc_rmsprop_update"); break;
        case 3: step(ctx, r, hpc_adam_update(ctx, n, lr, 0.9f, 0.999f, 1e-3f, 0.0f, 0.0f, c->k, o[0], c->b, o[1], o[2]), "hpc_adam_update"); break;
        case 4: step(ctx, r, hpc_adamw_update(ctx, n, lr, 0.9f, 0.999f, 1e-3f, 0.01f, 0.0f, c->k, o[0], c->b, o[1], o[2]), "hpc_adamw_update"); break;
        }
        break;
    }
    case 7: { /* convolution: forward, backward data, backward weights */
        int64_t oh = 0, ow = 0;
        step(ctx, r, hpc_conv2d_output_size(ctx, &c->conv, &oh, &ow), "hpc_conv2d_output_size");
        const hpc_conv2d_desc* d = &c->conv;
        int64_t ys = r->st == HPC_STATUS_OK ? d->n * d->k * oh * ow : 0;
        int64_t xs = r->st == HPC_STATUS_OK ? d->n * d->c * d->h * d->w : 0;
        int64_t wsz = r->st == HPC_STATUS_OK ? d->k * d->c * d->r * d->s : 0;
        if (r->st != HPC_STATUS_OK) {
            /* the kernels must refuse what output_size refused */
            hpc_status f = hpc_conv2d_forward(ctx, d, c->a, c->b, NULL, HPC_ACT_IDENTITY, c->c, NULL, 0);
            check_status(ctx, f, "hpc_conv2d_forward");
            if (f == HPC_STATUS_OK) abort();
            break;
        }
        len[0] = ys;
        len[1] = xs;
        len[2] = wsz;
        len[3] = d->k;
        for (int i = 0; i < 4; i++) o[i] = out_buf(NULL, len[i]);
        void* ws = c->ws_bytes > 0 ? malloc((size_t)c->ws_bytes) : NULL;
        /* x, w and dy are read from the input buffers, cut to their extents */
        float* x = out_buf(c->a, xs);
        float* w = out_buf(c->b, wsz);
        float* dy = out_buf(c->t, ys);
        step(ctx, r, hpc_conv2d_forward(ctx, d, x, w, c->flag ? c->bias : NULL, (hpc_activation)c->act, o[0], ws, c->ws_bytes), "hpc_conv2d_forward");
        step(ctx, r, hpc_conv2d_backward_data(ctx, d, dy, w, o[1], ws, c->ws_bytes), "hpc_conv2d_backward_data");
        step(ctx, r, hpc_conv2d_backward_weights(ctx, d, x, dy, o[2], c->flag ? o[3] : NULL, ws, c->ws_bytes),
             "hpc_conv2d_backward_weights");
        free(ws);
        free(x);
        free(w);
        free(dy);
        break;
    }
    case 8: { /* pooling */
        int64_t oh = 0, ow = 0;
        const hpc_pool2d_desc* d = &c->pool;
        step(ctx, r, hpc_pool2d_output_size(ctx, d, &oh, &ow), "hpc_pool2d_output_size");
        if (r->st != HPC_STATUS_OK) {
            hpc_status f = hpc_maxpool2d_forward(ctx, d, c->a, c->c, NULL);
            check_status(ctx, f, "hpc_maxpool2d_forward");
            if (f == HPC_STATUS_OK) abort();
            break;
        }
        int64_t ys = d->n * d->c * oh * ow, xs = d->n * d->c * d->h * d->w;
        len[0] = ys;
        len[1] = xs;
        len[2] = ys;
        len[3] = xs;
        for (int i = 0; i < 4; i++) o[i] = out_buf(NULL, len[i]);
        float* x = out_buf(c->a, xs);
        int32_t* am = (int32_t*)malloc((size_t)(ys > 0 ? ys : 1) * sizeof(int32_t));
        step(ctx, r, hpc_maxpool2d_forward(ctx, d, x, o[0], am), "hpc_maxpool2d_forward");
        if (r->st == HPC_STATUS_OK) step(ctx, r, hpc_maxpool2d_backward(ctx, d, o[0], am, o[1]), "hpc_maxpool2d_backward");
        if (r->st == HPC_STATUS_OK) step(ctx, r, hpc_avgpool2d_forward(ctx, d, c->flag, x, o[2]), "hpc_avgpool2d_forward");
        if (r->st == HPC_STATUS_OK) step(ctx, r, hpc_avgpool2d_backward(ctx, d, c->flag, o[2], o[3]), "hpc_avgpool2d_backward");
        free(am);
        free(x);
        break;
    }
    case 9: { /* random streams, dropout, clipping */
        int64_t n = c->m * c->n;
        for (int i = 0; i < 4; i++) {
            len[i] = n;
            o[i] = out_buf(i == 3 ? c->a : NULL, n);
        }
        step(ctx, r, hpc_rng_uniform(ctx, c->seed, (uint64_t)c->k, n, -1.0f, c->alpha, o[0]), "hpc_rng_uniform");
        if (r->st == HPC_STATUS_OK) step(ctx, r, hpc_rng_normal(ctx, c->seed, 7, n, 0.0f, c->beta, o[1]), "hpc_rng_normal");
        if (r->st == HPC_STATUS_OK) step(ctx, r, hpc_dropout_forward(ctx, c->seed, 3, n, c->param, c->a, o[2], o[2]), "hpc_dropout_forward");
        if (r->st == HPC_STATUS_OK) step(ctx, r, hpc_clip_by_value(ctx, n, -c->alpha, c->beta, o[3]), "hpc_clip_by_value");
        double sq = 0;
        if (r->st == HPC_STATUS_OK) step(ctx, r, hpc_sum_squares(ctx, n, o[3], &sq), "hpc_sum_squares");
        r->s[0] = (float)sq;
        break;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    init_paths();
    bytes b = {data, size};
    call c;
    memset(&c, 0, sizeof c);
    c.op = (int)pick(&b, 10);
    int32_t threads = (int32_t)pick(&b, 4) + 1;
    c.m = pick(&b, 40);
    c.n = pick(&b, 40);
    c.k = pick(&b, 40);
    if (u8(&b) >= 250) c.m = -c.m - 1; /* negative sizes now and then */
    if (u8(&b) >= 250) c.k = -c.k - 1;
    c.ta = enum_value(&b, 2);
    c.tb = enum_value(&b, 2);
    c.act = enum_value(&b, 8);
    c.mode = enum_value(&b, 3);
    c.flag = (int)pick(&b, 2);
    int exact = 1;
    c.alpha = scalar(&b, &exact);
    c.beta = scalar(&b, &exact);
    c.param = scalar(&b, &exact);
    /* strides: the minimum plus slack, or (rarely) too small */
    int64_t ak = c.ta == HPC_TRANS ? c.m : c.k, bn = c.tb == HPC_TRANS ? c.k : c.n;
    int64_t sl = pick(&b, 8);
    if (c.op == 0 || c.op == 1) {
        c.lda = ak + sl - (u8(&b) >= 250 ? 1 + sl : 0);
        c.ldb = bn + pick(&b, 8) - (u8(&b) >= 250 ? 1 : 0);
        c.ldc = c.n + pick(&b, 8) - (u8(&b) >= 250 ? 1 : 0);
    } else {
        c.lda = c.n + (c.op == 4 || c.op == 3 ? sl : 0);
        c.ldb = c.n;
        c.ldc = c.n;
    }
    if (c.m < 0 || c.k < 0) c.lda = c.ldb = c.ldc = 1;
    int64_t mm = c.m > 0 ? c.m : 0, kk = c.k > 0 ? c.k : 0, nn = c.n;
    int64_t asz = c.op <= 1 ? extent(c.ta == HPC_TRANS ? kk : mm, c.ta == HPC_TRANS ? mm : kk, c.lda)
                            : extent(mm, nn, c.lda);
    int64_t bsz = c.op <= 1 ? extent(c.tb == HPC_TRANS ? nn : kk, c.tb == HPC_TRANS ? kk : nn, c.ldb) : mm * nn;
    int64_t csz = extent(mm, nn, c.ldc);
    int64_t biasn = c.op <= 1 ? (c.mode == HPC_BIAS_ROW ? mm : nn) : nn;
    if (c.op == 2 || c.op == 3 || c.op == 4) biasn = nn;
    if (c.op == 2 || c.op == 5 || c.op == 6 || c.op == 9) asz = bsz = csz = mm * nn;

    if (c.op == 7) {
        c.conv = (hpc_conv2d_desc){.n = pick(&b, 4), .c = pick(&b, 10), .h = pick(&b, 13), .w = pick(&b, 13),
                                   .k = pick(&b, 18), .r = pick(&b, 6), .s = pick(&b, 6), .stride_h = pick(&b, 4),
                                   .stride_w = pick(&b, 4), .pad_h = pick(&b, 3), .pad_w = pick(&b, 3),
                                   .dilation_h = pick(&b, 3), .dilation_w = pick(&b, 3)};
        const hpc_conv2d_desc* d = &c.conv;
        int64_t full = 0;
        hpc_conv2d_workspace_size(ctxs[0], d, &full);
        /* the full workspace, a tile-sized part of it, or none */
        int64_t crs4 = d->c * d->r * d->s * 4;
        int w = (int)pick(&b, 4);
        c.ws_bytes = w == 0 ? full : w == 1 ? (full > crs4 ? crs4 + pick(&b, 16) * 4 : full) : w == 2 ? 0 : full * 2;
        /* x (<= 3 x 9 x 12 x 12), w (<= 17 x 9 x 5 x 5) and dy (<= 3 x 17 x 16 x 16) are cut from these */
        asz = bsz = 3 * 17 * 16 * 16;
        csz = 1;
        biasn = 17;
        c.act = enum_value(&b, 8);
    }
    if (c.op == 8) { /* x <= 2 x 4 x 16 x 16 */
        c.pool = (hpc_pool2d_desc){.n = pick(&b, 3), .c = pick(&b, 5), .h = pick(&b, 17), .w = pick(&b, 17),
                                   .window_h = pick(&b, 5), .window_w = pick(&b, 5), .stride_h = pick(&b, 4),
                                   .stride_w = pick(&b, 4), .pad_h = pick(&b, 3), .pad_w = pick(&b, 3)};
        asz = 2 * 4 * 16 * 16;
        csz = 1;
    }
    c.seed = u8(&b);
    c.a = floats(&b, asz);
    c.b = floats(&b, bsz);
    c.c = floats(&b, csz);
    c.t = floats(&b, c.op == 7 ? bsz : asz > bsz ? asz : bsz);
    c.bias = floats(&b, biasn);
    if (c.op == 5 || c.op == 9)
        for (int64_t i = 0; i < asz; i++) c.t[i] = fabsf(c.t[i]); /* BCE targets in [0, 1] */
    int64_t rows = mm;
    c.labels = (int32_t*)malloc((size_t)(rows > 0 ? rows : 1) * sizeof(int32_t));
    for (int64_t i = 0; i < rows; i++) c.labels[i] = u8(&b) >= 250 ? (int32_t)nn : (int32_t)pick(&b, nn ? nn : 1);

    result ref = {0};
    /* tolerance: exact for the kernels that only add products of exact values, else relative */
    double tol = 1e-5;
    if ((c.op <= 1 && (c.op == 0 || c.act <= HPC_ACT_RELU || c.act == HPC_ACT_STEP)) || c.op == 3 || c.op == 8 ||
        (c.op == 7 && (c.act == HPC_ACT_IDENTITY || c.act == HPC_ACT_RELU)))
        tol = 0;
    if (c.op == 4 || c.op == 6 || c.op == 9) tol = 2e-5;
    if (c.op == 8) tol = 1e-6; /* average pooling divides; the paths may use a reciprocal */
    if (!exact) tol = -1;
    for (int p = 0; p < npaths; p++) {
        hpc_ctx_set_threads(ctxs[p], threads);
        result r;
        run(ctxs[p], &c, &r);
        if (p == 0) {
            ref = r;
            continue;
        }
        hpc_isa isa = HPC_ISA_SCALAR;
        hpc_ctx_get_isa(ctxs[p], &isa);
        char what[64];
        snprintf(what, sizeof what, "op %d", c.op);
        compare(what, &ref, &r, tol, isa);
        free_result(&r);
    }
    free_result(&ref);
    free(c.a);
    free(c.b);
    free(c.c);
    free(c.t);
    free(c.bias);
    free(c.labels);
    return 0;
}
