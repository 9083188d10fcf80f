/* One fixed workload touching every threaded kernel family -- a GEMM, a fused GEMM, a convolution
 * forward and both backwards, pooling both ways, activations, losses, optimizer steps, random
 * streams -- for the tests that run it many ways and compare the runs bit for bit (concurrency,
 * allocation failures). */
#ifndef HPC_TEST_WORKLOAD_H
#define HPC_TEST_WORKLOAD_H

#include "testutil.h"

#define ELTS 70000 /* three chunks of the eltwise/loss/random grain */
#define GM 200
#define GN 160
#define GK 150
#define OUTPUTS 24

typedef struct {
    float* x;      /* ELTS */
    float* dy;     /* ELTS */
    float* t01;    /* ELTS, targets in [0, 1) */
    int32_t* lab;  /* ELTS / 100 rows of 100 classes */
    float* a;      /* GM x GK */
    float* b;      /* GK x GN */
    float* bias;   /* GN */
    hpc_conv2d_desc conv;
    float* cx;     /* conv input */
    float* cw;     /* conv weights */
    float* cdy;    /* conv output gradient */
    hpc_pool2d_desc pool;
    int64_t conv_ws_bytes; /* the convolution's full workspace */
} inputs;

typedef struct {
    float* buf[OUTPUTS];
    int64_t len[OUTPUTS];
    float scalars[4];
    int32_t* argmax;
    int64_t argmax_len;
    void* ws;
    int64_t ws_bytes;
} outputs;

static inline void fill_inputs(inputs* in) {
    in->x = tu_alloc(ELTS);
    in->dy = tu_alloc(ELTS);
    in->t01 = tu_alloc(ELTS);
    in->lab = (int32_t*)malloc(ELTS / 100 * sizeof(int32_t));
    tu_fill(in->x, ELTS, -4, 4);
    tu_fill(in->dy, ELTS, -1, 1);
    tu_fill(in->t01, ELTS, 0, 1);
    for (int i = 0; i < ELTS / 100; i++) in->lab[i] = (int32_t)(tu_next() % 100);
    in->a = tu_alloc(GM * GK);
    in->b = tu_alloc(GK * GN);
    in->bias = tu_alloc(GN);
    tu_fill(in->a, GM * GK, -1, 1);
    tu_fill(in->b, GK * GN, -1, 1);
    tu_fill(in->bias, GN, -1, 1);
    /* 8 channels in and out at stride 1: the channel-blocked direct kernels on the SIMD paths */
    in->conv = (hpc_conv2d_desc){.n = 6, .c = 8, .h = 14, .w = 14, .k = 16, .r = 3, .s = 3, .stride_h = 1,
                                 .stride_w = 1, .pad_h = 1, .pad_w = 1, .dilation_h = 1, .dilation_w = 1};
    int64_t xs = 6 * 8 * 14 * 14, ws = 16 * 8 * 9, ys = 6 * 16 * 14 * 14;
    in->cx = tu_alloc(xs);
    in->cw = tu_alloc(ws);
    in->cdy = tu_alloc(ys);
    tu_fill(in->cx, xs, -1, 1);
    tu_fill(in->cw, ws, -0.5f, 0.5f);
    tu_fill(in->cdy, ys, -1, 1);
    in->pool = (hpc_pool2d_desc){.n = 6, .c = 16, .h = 14, .w = 14, .window_h = 2, .window_w = 2,
                                 .stride_h = 2, .stride_w = 2};
    hpc_ctx* c = tu_ctx(HPC_ISA_SCALAR, 1);
    TU_OK(hpc_conv2d_workspace_size(c, &in->conv, &in->conv_ws_bytes));
    hpc_ctx_destroy(c);
}

static inline void free_inputs(inputs* in) {
    void* p[] = {in->x, in->dy, in->t01, in->lab, in->a, in->b, in->bias, in->cx, in->cw, in->cdy};
    for (size_t i = 0; i < sizeof p / sizeof *p; i++) free(p[i]);
}

/* Allocates outputs without touching the check counters, so worker threads may call it. */
static inline void alloc_outputs(const inputs* in, outputs* o) {
    memset(o, 0, sizeof *o);
    int64_t ys = 6 * 16 * 14 * 14, ps = 6 * 16 * 7 * 7;
    int64_t len[OUTPUTS] = {GM * GN, GM * GN, GN, ys, 6 * 8 * 14 * 14, 16 * 8 * 9, 16, ps, ys, ps, ys,
                            ELTS, ELTS, ELTS, ELTS, ELTS, ELTS, ELTS, ELTS, ELTS, ELTS, ELTS, ELTS, 100};
    for (int i = 0; i < OUTPUTS; i++) {
        o->len[i] = len[i];
        o->buf[i] = tu_alloc(len[i]);
        memset(o->buf[i], 0, (size_t)len[i] * sizeof(float));
    }
    o->argmax_len = ps;
    o->argmax = (int32_t*)calloc((size_t)ps, sizeof(int32_t));
    o->ws_bytes = in->conv_ws_bytes;
    o->ws = malloc((size_t)o->ws_bytes + 64);
}

static inline void free_outputs(outputs* o) {
    for (int i = 0; i < OUTPUTS; i++) free(o->buf[i]);
    free(o->argmax);
    free(o->ws);
}

/* The workload: OK, or the status of the first call that failed (its text in *failed_call when that
 * is not null). State-carrying outputs (optimizer weights and moments) start from the same values
 * every run, so runs compare bit for bit. */
static inline hpc_status run_workload_at(hpc_ctx* ctx, const inputs* in, outputs* o, const char** failed_call) {
    float** b = o->buf;
    hpc_status st;
#define CALL(e)                                                                                   \
    if ((st = (e)) != HPC_STATUS_OK) {                                                            \
        if (failed_call) *failed_call = #e;                                                       \
        return st;                                                                                \
    }
    CALL(hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, GM, GN, GK, 1.0f, in->a, GK, in->b, GN, 0.0f, b[0], GN));
    CALL(hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, HPC_NO_TRANS, GM, GN, GK, 0.5f, in->a, GK, in->b, GN, 0.0f, b[1], GN,
                            in->bias, HPC_BIAS_COL, HPC_ACT_TANH));
    CALL(hpc_sum_rows(ctx, GM, GN, b[1], GN, 0.0f, b[2]));
    CALL(hpc_conv2d_forward(ctx, &in->conv, in->cx, in->cw, in->bias, HPC_ACT_RELU, b[3], o->ws, o->ws_bytes));
    CALL(hpc_conv2d_backward_data(ctx, &in->conv, in->cdy, in->cw, b[4], o->ws, o->ws_bytes));
    CALL(hpc_conv2d_backward_weights(ctx, &in->conv, in->cx, in->cdy, b[5], b[6], o->ws, o->ws_bytes));
    CALL(hpc_maxpool2d_forward(ctx, &in->pool, b[3], b[7], o->argmax));
    CALL(hpc_maxpool2d_backward(ctx, &in->pool, b[7], o->argmax, b[8]));
    CALL(hpc_avgpool2d_forward(ctx, &in->pool, 1, b[3], b[9]));
    CALL(hpc_avgpool2d_backward(ctx, &in->pool, 1, b[9], b[10]));
    CALL(hpc_bias_act_forward(ctx, HPC_ACT_SIGMOID, 0, 700, 100, in->x, in->dy, b[11]));
    CALL(hpc_act_backward(ctx, HPC_ACT_SIGMOID, 0, ELTS, in->x, b[11], in->dy, b[12]));
    CALL(hpc_prelu_forward(ctx, 700, 100, in->x, in->t01, b[13]));
    CALL(hpc_prelu_backward(ctx, 700, 100, in->x, in->t01, in->dy, b[14], b[23]));
    CALL(hpc_softmax_cross_entropy(ctx, 700, 100, in->x, 100, in->lab, &o->scalars[0], b[15]));
    CALL(hpc_softmax_forward(ctx, 700, 100, in->x, b[16]));
    CALL(hpc_mse_loss(ctx, ELTS, in->x, in->dy, &o->scalars[1], b[17]));
    CALL(hpc_bce_logits_loss(ctx, ELTS, in->x, in->t01, &o->scalars[2], b[17]));
    CALL(hpc_rng_normal(ctx, 5, 11, ELTS, 0.0f, 1.0f, b[18]));
    CALL(hpc_dropout_forward(ctx, 5, 11, ELTS, 0.7f, in->x, b[19], b[20]));
    memcpy(b[21], in->x, ELTS * sizeof(float));
    memset(b[22], 0, ELTS * sizeof(float));
    float* v = b[20]; /* Adam's second moment reuses the dropout output, reset here */
    memset(v, 0, ELTS * sizeof(float));
    CALL(hpc_adam_update(ctx, ELTS, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-4f, 0.0f, 1, b[21], in->dy, b[22], v));
    CALL(hpc_sgd_update(ctx, ELTS, 1e-2f, 0.0f, 1e-4f, 1e-5f, b[21], in->dy, NULL));
    double squares = 0;
    CALL(hpc_sum_squares(ctx, ELTS, b[22], &squares));
    CALL(hpc_scale(ctx, ELTS, 0.5f, b[22]));
    CALL(hpc_clip_by_value(ctx, ELTS, -1e-3f, 1e-3f, b[22]));
    o->scalars[3] = (float)squares;
#undef CALL
    return HPC_STATUS_OK;
}

static inline int run_workload(hpc_ctx* ctx, const inputs* in, outputs* o) {
    return run_workload_at(ctx, in, o, NULL) == HPC_STATUS_OK;
}

static inline int same_outputs(const outputs* a, const outputs* b) {
    for (int i = 0; i < OUTPUTS; i++)
        if (memcmp(a->buf[i], b->buf[i], (size_t)a->len[i] * sizeof(float)) != 0) return 0;
    return memcmp(a->scalars, b->scalars, sizeof a->scalars) == 0 &&
           memcmp(a->argmax, b->argmax, (size_t)a->argmax_len * sizeof(int32_t)) == 0;
}

#endif
