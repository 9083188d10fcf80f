/* Recurrent layers: the scalar path against naive double-precision loops of the documented
 * equations (forward, backpropagation through time, carried states), every other path against
 * the scalar one, 1 / 2 / 3 threads bit for bit, the workspace left intact outside its size, and
 * bad input. */
#include "testutil.h"

typedef struct {
    hpc_rnn_cell cell;
    int64_t T, B, I, H;
    int use_bias, use_h0, use_dy, use_dn;
} shape;

static int gates(hpc_rnn_cell c) { return c == HPC_RNN_LSTM ? 4 : 1; }
static double sig(double z) { return 1.0 / (1.0 + exp(-z)); }

typedef struct {
    float *x, *w_ih, *w_hh, *b_ih, *b_hh, *h0, *c0, *dy, *dh_n, *dc_n;
} inputs;

typedef struct {
    float *y, *h_n, *c_n, *dx, *dw_ih, *dw_hh, *db, *dh0, *dc0, *ws;
    int64_t ws_floats;
} outputs;

/* Naive forward and BPTT in double, straight from the equations of hpcnn.h. */
static void reference(const shape* s, const inputs* in, double* y, double* h_n, double* c_n, double* dx, double* dw_ih,
                      double* dw_hh, double* db, double* dh0, double* dc0) {
    int64_t T = s->T, B = s->B, I = s->I, H = s->H, G = gates(s->cell), GH = G * H;
    double* a = calloc((size_t)(T * B * GH), sizeof(double)); /* activations */
    double* c = calloc((size_t)(T * B * H), sizeof(double));
    for (int64_t t = 0; t < T; t++)
        for (int64_t b = 0; b < B; b++) {
            for (int64_t r = 0; r < GH; r++) {
                double z = 0;
                if (s->use_bias) z += (double)in->b_ih[r] + in->b_hh[r];
                for (int64_t k = 0; k < I; k++) z += (double)in->w_ih[r * I + k] * in->x[(t * B + b) * I + k];
                for (int64_t k = 0; k < H; k++) {
                    double hp = t == 0 ? (s->use_h0 ? in->h0[b * H + k] : 0.0) : y[((t - 1) * B + b) * H + k];
                    z += (double)in->w_hh[r * H + k] * hp;
                }
                a[(t * B + b) * GH + r] = z;
            }
            for (int64_t j = 0; j < H; j++) {
                double* z = a + (t * B + b) * GH;
                if (s->cell == HPC_RNN_TANH) {
                    z[j] = tanh(z[j]);
                    y[(t * B + b) * H + j] = z[j];
                    continue;
                }
                z[j] = sig(z[j]), z[H + j] = sig(z[H + j]), z[2 * H + j] = tanh(z[2 * H + j]), z[3 * H + j] = sig(z[3 * H + j]);
                double cp = t == 0 ? (s->use_h0 ? in->c0[b * H + j] : 0.0) : c[((t - 1) * B + b) * H + j];
                double cc = z[H + j] * cp + z[j] * z[2 * H + j];
                c[(t * B + b) * H + j] = cc;
                y[(t * B + b) * H + j] = z[3 * H + j] * tanh(cc);
            }
        }
    for (int64_t k = 0; k < B * H; k++) {
        h_n[k] = y[(T - 1) * B * H + k];
        c_n[k] = s->cell == HPC_RNN_LSTM ? c[(T - 1) * B * H + k] : 0;
    }
    double* dz = calloc((size_t)(T * B * GH), sizeof(double));
    double* dh = calloc((size_t)(B * H), sizeof(double));
    double* dc = calloc((size_t)(B * H), sizeof(double));
    for (int64_t k = 0; k < B * H; k++) {
        dh[k] = s->use_dn ? in->dh_n[k] : 0;
        dc[k] = s->use_dn && s->cell == HPC_RNN_LSTM ? in->dc_n[k] : 0;
    }
    for (int64_t t = T - 1; t >= 0; t--) {
        for (int64_t b = 0; b < B; b++)
            for (int64_t j = 0; j < H; j++) {
                int64_t q = b * H + j, st = (t * B + b) * H + j;
                double g = dh[q] + (s->use_dy ? in->dy[st] : 0.0);
                double* av = a + (t * B + b) * GH;
                double* d = dz + (t * B + b) * GH;
                if (s->cell == HPC_RNN_TANH) {
                    d[j] = g * (1 - av[j] * av[j]);
                    continue;
                }
                double tc = tanh(c[st]);
                double dcv = dc[q] + g * av[3 * H + j] * (1 - tc * tc);
                double cp = t == 0 ? (s->use_h0 ? in->c0[q] : 0.0) : c[st - B * H];
                d[j] = dcv * av[2 * H + j] * av[j] * (1 - av[j]);
                d[H + j] = dcv * cp * av[H + j] * (1 - av[H + j]);
                d[2 * H + j] = dcv * av[j] * (1 - av[2 * H + j] * av[2 * H + j]);
                d[3 * H + j] = g * tc * av[3 * H + j] * (1 - av[3 * H + j]);
                dc[q] = dcv * av[H + j];
            }
        for (int64_t b = 0; b < B; b++)
            for (int64_t k = 0; k < H; k++) {
                double sum = 0;
                for (int64_t r = 0; r < GH; r++) sum += dz[(t * B + b) * GH + r] * in->w_hh[r * H + k];
                dh[b * H + k] = sum;
            }
    }
    for (int64_t k = 0; k < B * H; k++) dh0[k] = dh[k], dc0[k] = dc[k];
    memset(dw_ih, 0, sizeof(double) * (size_t)(GH * I));
    memset(dw_hh, 0, sizeof(double) * (size_t)(GH * H));
    memset(db, 0, sizeof(double) * (size_t)GH);
    memset(dx, 0, sizeof(double) * (size_t)(T * B * I));
    for (int64_t t = 0; t < T; t++)
        for (int64_t b = 0; b < B; b++)
            for (int64_t r = 0; r < GH; r++) {
                double d = dz[(t * B + b) * GH + r];
                db[r] += d;
                for (int64_t k = 0; k < I; k++) {
                    dw_ih[r * I + k] += d * in->x[(t * B + b) * I + k];
                    dx[(t * B + b) * I + k] += d * in->w_ih[r * I + k];
                }
                for (int64_t k = 0; k < H; k++) {
                    double hp = t == 0 ? (s->use_h0 ? in->h0[b * H + k] : 0.0) : y[((t - 1) * B + b) * H + k];
                    dw_hh[r * H + k] += d * hp;
                }
            }
    free(a), free(c), free(dz), free(dh), free(dc);
}

static void make_inputs(const shape* s, inputs* in) {
    int64_t T = s->T, B = s->B, I = s->I, H = s->H, GH = gates(s->cell) * H;
    float scale = 1.0f / sqrtf((float)H);
    in->x = tu_alloc(T * B * I), tu_fill(in->x, T * B * I, -1, 1);
    in->w_ih = tu_alloc(GH * I), tu_fill(in->w_ih, GH * I, -scale, scale);
    in->w_hh = tu_alloc(GH * H), tu_fill(in->w_hh, GH * H, -scale, scale);
    in->b_ih = tu_alloc(GH), tu_fill(in->b_ih, GH, -0.5f, 0.5f);
    in->b_hh = tu_alloc(GH), tu_fill(in->b_hh, GH, -0.5f, 0.5f);
    in->h0 = tu_alloc(B * H), tu_fill(in->h0, B * H, -1, 1);
    in->c0 = tu_alloc(B * H), tu_fill(in->c0, B * H, -1, 1);
    in->dy = tu_alloc(T * B * H), tu_fill(in->dy, T * B * H, -1, 1);
    in->dh_n = tu_alloc(B * H), tu_fill(in->dh_n, B * H, -1, 1);
    in->dc_n = tu_alloc(B * H), tu_fill(in->dc_n, B * H, -1, 1);
}

static void free_inputs(inputs* in) {
    free(in->x), free(in->w_ih), free(in->w_hh), free(in->b_ih), free(in->b_hh), free(in->h0), free(in->c0);
    free(in->dy), free(in->dh_n), free(in->dc_n);
}

#define GUARD 7

static void alloc_outputs(const shape* s, hpc_ctx* ctx, outputs* o) {
    int64_t T = s->T, B = s->B, I = s->I, H = s->H, GH = gates(s->cell) * H;
    TU_OK(hpc_rnn_workspace_size(ctx, s->cell, T, B, H, &o->ws_floats));
    o->y = tu_alloc(T * B * H), o->h_n = tu_alloc(B * H), o->c_n = tu_alloc(B * H);
    o->dx = tu_alloc(T * B * I), o->dw_ih = tu_alloc(GH * I), o->dw_hh = tu_alloc(GH * H), o->db = tu_alloc(GH);
    o->dh0 = tu_alloc(B * H), o->dc0 = tu_alloc(B * H);
    o->ws = tu_alloc(o->ws_floats + GUARD);
    for (int k = 0; k < GUARD; k++) o->ws[o->ws_floats + k] = 12345.0f;
    /* Outputs start as NaN so anything left unwritten shows. */
    float* all[] = {o->y, o->h_n, o->c_n, o->dx, o->dw_ih, o->dw_hh, o->db, o->dh0, o->dc0};
    int64_t n[] = {T * B * H, B * H, B * H, T * B * I, GH * I, GH * H, GH, B * H, B * H};
    for (int k = 0; k < 9; k++)
        for (int64_t e = 0; e < n[k]; e++) all[k][e] = NAN;
}

static void free_outputs(outputs* o) {
    free(o->y), free(o->h_n), free(o->c_n), free(o->dx), free(o->dw_ih), free(o->dw_hh), free(o->db), free(o->dh0);
    free(o->dc0), free(o->ws);
}

static void run(hpc_ctx* ctx, const shape* s, const inputs* in, outputs* o) {
    int lstm = s->cell == HPC_RNN_LSTM;
    TU_OK(hpc_rnn_forward(ctx, s->cell, s->T, s->B, s->I, s->H, in->x, in->w_ih, in->w_hh, s->use_bias ? in->b_ih : NULL,
                          s->use_bias ? in->b_hh : NULL, s->use_h0 ? in->h0 : NULL, s->use_h0 && lstm ? in->c0 : NULL,
                          o->y, o->h_n, lstm ? o->c_n : NULL, o->ws, o->ws_floats));
    TU_OK(hpc_rnn_backward(ctx, s->cell, s->T, s->B, s->I, s->H, in->x, in->w_ih, in->w_hh, s->use_h0 ? in->h0 : NULL,
                           s->use_h0 && lstm ? in->c0 : NULL, o->y, s->use_dy ? in->dy : NULL,
                           s->use_dn ? in->dh_n : NULL, s->use_dn && lstm ? in->dc_n : NULL, o->dx, o->dw_ih, o->dw_hh,
                           o->db, o->dh0, lstm ? o->dc0 : NULL, o->ws, o->ws_floats));
    for (int k = 0; k < GUARD; k++) TU_CHECK(o->ws[o->ws_floats + k] == 12345.0f, "workspace overrun at +%d", k);
}

static double max_rel(const float* a, const double* b, int64_t n) {
    double m = 0;
    for (int64_t k = 0; k < n; k++) {
        double e = fabs((double)a[k] - b[k]) / (1.0 + fabs(b[k]));
        if (!(e <= m)) m = isnan(e) ? INFINITY : e;
    }
    return m;
}

static double max_rel_f(const float* a, const float* b, int64_t n) {
    double m = 0;
    for (int64_t k = 0; k < n; k++) {
        double e = fabs((double)a[k] - b[k]) / (1.0 + fabs((double)b[k]));
        if (!(e <= m)) m = isnan(e) ? INFINITY : e;
    }
    return m;
}

static int same_bits(const float* a, const float* b, int64_t n) { return memcmp(a, b, (size_t)n * sizeof(float)) == 0; }

static void compare_outputs(const shape* s, const outputs* a, const outputs* b, double tol, int exact, const char* what) {
    int64_t T = s->T, B = s->B, I = s->I, H = s->H, GH = gates(s->cell) * H;
    const float* x[] = {a->y, a->h_n, a->dx, a->dw_ih, a->dw_hh, a->db, a->dh0, a->c_n, a->dc0};
    const float* y[] = {b->y, b->h_n, b->dx, b->dw_ih, b->dw_hh, b->db, b->dh0, b->c_n, b->dc0};
    const char* names[] = {"y", "h_n", "dx", "dw_ih", "dw_hh", "db", "dh0", "c_n", "dc0"};
    int64_t n[] = {T * B * H, B * H, T * B * I, GH * I, GH * H, GH, B * H, B * H, B * H};
    int count = s->cell == HPC_RNN_LSTM ? 9 : 7;
    for (int k = 0; k < count; k++) {
        if (exact) TU_CHECK(same_bits(x[k], y[k], n[k]), "%s: %s differs (cell %d T %lld B %lld H %lld)", what, names[k],
                            (int)s->cell, (long long)T, (long long)B, (long long)H);
        else {
            double e = max_rel_f(x[k], y[k], n[k]);
            TU_CHECK(e <= tol, "%s: %s off by %g (cell %d T %lld B %lld H %lld)", what, names[k], e, (int)s->cell,
                     (long long)T, (long long)B, (long long)H);
        }
    }
}

static const shape shapes[] = {
    {HPC_RNN_LSTM, 1, 1, 1, 1, 1, 1, 1, 1},   {HPC_RNN_LSTM, 5, 3, 7, 13, 1, 1, 1, 1},
    {HPC_RNN_LSTM, 4, 2, 5, 24, 0, 0, 1, 0},  {HPC_RNN_LSTM, 3, 9, 4, 33, 1, 1, 0, 1},
    {HPC_RNN_LSTM, 7, 4, 16, 64, 1, 1, 1, 1}, {HPC_RNN_LSTM, 2, 40, 3, 130, 1, 1, 1, 1},
    {HPC_RNN_TANH, 1, 1, 1, 1, 1, 1, 1, 1},   {HPC_RNN_TANH, 6, 3, 7, 13, 1, 1, 1, 1},
    {HPC_RNN_TANH, 4, 2, 5, 24, 0, 0, 1, 0},  {HPC_RNN_TANH, 7, 5, 9, 40, 1, 1, 0, 1},
    {HPC_RNN_TANH, 3, 33, 4, 300, 1, 1, 1, 1},
};
#define NSHAPES ((int)(sizeof shapes / sizeof shapes[0]))

/* The scalar path against the double-precision equations. */
static void test_reference(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_SCALAR, 1);
    for (int k = 0; k < NSHAPES; k++) {
        const shape* s = &shapes[k];
        if (s->H > 64) continue; /* the naive loops are slow; the large shapes are covered path against path */
        int64_t T = s->T, B = s->B, I = s->I, H = s->H, GH = gates(s->cell) * H;
        inputs in;
        make_inputs(s, &in);
        outputs o;
        alloc_outputs(s, ctx, &o);
        run(ctx, s, &in, &o);
        double *y = calloc((size_t)(T * B * H), 8), *hn = calloc((size_t)(B * H), 8), *cn = calloc((size_t)(B * H), 8);
        double *dx = calloc((size_t)(T * B * I), 8), *dwi = calloc((size_t)(GH * I), 8), *dwh = calloc((size_t)(GH * H), 8);
        double *db = calloc((size_t)GH, 8), *dh0 = calloc((size_t)(B * H), 8), *dc0 = calloc((size_t)(B * H), 8);
        reference(s, &in, y, hn, cn, dx, dwi, dwh, db, dh0, dc0);
        const float* got[] = {o.y, o.h_n, o.dx, o.dw_ih, o.dw_hh, o.db, o.dh0, o.c_n, o.dc0};
        const double* want[] = {y, hn, dx, dwi, dwh, db, dh0, cn, dc0};
        const char* names[] = {"y", "h_n", "dx", "dw_ih", "dw_hh", "db", "dh0", "c_n", "dc0"};
        int64_t n[] = {T * B * H, B * H, T * B * I, GH * I, GH * H, GH, B * H, B * H, B * H};
        int count = s->cell == HPC_RNN_LSTM ? 9 : 7;
        for (int q = 0; q < count; q++) {
            double e = max_rel(got[q], want[q], n[q]);
            TU_CHECK(e < 2e-5, "scalar vs equations: %s off by %g (shape %d)", names[q], e, k);
        }
        free(y), free(hn), free(cn), free(dx), free(dwi), free(dwh), free(db), free(dh0), free(dc0);
        free_outputs(&o);
        free_inputs(&in);
    }
    hpc_ctx_destroy(ctx);
}

/* Every path against scalar; each path at 1, 2 and 3 threads bit for bit. */
static void test_paths_and_threads(void) {
    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    int32_t has512 = 0;
    hpc_isa_supported(HPC_ISA_AVX512, &has512);
    if (!has512) printf("SKIP avx512: this CPU lacks AVX-512, its path was not run\n");
    for (int k = 0; k < NSHAPES; k++) {
        const shape* s = &shapes[k];
        inputs in;
        make_inputs(s, &in);
        hpc_ctx* sc = tu_ctx(HPC_ISA_SCALAR, 1);
        outputs ref;
        alloc_outputs(s, sc, &ref);
        run(sc, s, &in, &ref);
        hpc_ctx_destroy(sc);
        for (int p = 0; p < nisa; p++) {
            outputs one;
            for (int32_t threads = 1; threads <= 3; threads++) {
                hpc_ctx* ctx = tu_ctx(isas[p], threads);
                outputs o;
                alloc_outputs(s, ctx, &o);
                run(ctx, s, &in, &o);
                char what[64];
                snprintf(what, sizeof what, "%s %d threads vs scalar", hpc_isa_name(isas[p]), threads);
                compare_outputs(s, &o, &ref, 1e-5, 0, what);
                if (threads == 1) one = o;
                else {
                    /* OpenBLAS partitions its GEMMs by thread count: not bit-identical by contract. */
                    if (isas[p] != HPC_ISA_OPENBLAS) {
                        snprintf(what, sizeof what, "%s %d threads vs 1", hpc_isa_name(isas[p]), threads);
                        compare_outputs(s, &o, &one, 0, 1, what);
                    }
                    free_outputs(&o);
                }
                hpc_ctx_destroy(ctx);
            }
            free_outputs(&one);
        }
        free_outputs(&ref);
        free_inputs(&in);
    }
}

/* Two chunks with the state carried match one call over the whole sequence (forward). */
static void test_carried_state(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 2);
    for (int cell = 0; cell < 2; cell++) {
        shape s = {(hpc_rnn_cell)cell, 6, 3, 5, 19, 1, 1, 1, 1};
        inputs in;
        make_inputs(&s, &in);
        outputs whole;
        alloc_outputs(&s, ctx, &whole);
        run(ctx, &s, &in, &whole);
        int64_t ws;
        TU_OK(hpc_rnn_workspace_size(ctx, s.cell, 3, s.B, s.H, &ws));
        float* w = tu_alloc(ws);
        float *y = tu_alloc(6 * s.B * s.H), *h = tu_alloc(s.B * s.H), *c = tu_alloc(s.B * s.H);
        int lstm = cell == HPC_RNN_LSTM;
        TU_OK(hpc_rnn_forward(ctx, s.cell, 3, s.B, s.I, s.H, in.x, in.w_ih, in.w_hh, in.b_ih, in.b_hh, in.h0,
                              lstm ? in.c0 : NULL, y, h, lstm ? c : NULL, w, ws));
        /* h_n / c_n may alias h0 / c0. */
        TU_OK(hpc_rnn_forward(ctx, s.cell, 3, s.B, s.I, s.H, in.x + 3 * s.B * s.I, in.w_ih, in.w_hh, in.b_ih, in.b_hh, h,
                              lstm ? c : NULL, y + 3 * s.B * s.H, h, lstm ? c : NULL, w, ws));
        /* Not bit for bit: the input GEMM may block a 3-step projection differently from a 6-step one. */
        TU_CHECK(max_rel_f(y, whole.y, 6 * s.B * s.H) < 1e-6, "cell %d: chunked y differs from one call", cell);
        TU_CHECK(max_rel_f(h, whole.h_n, s.B * s.H) < 1e-6, "cell %d: chunked h_n differs", cell);
        if (lstm) TU_CHECK(max_rel_f(c, whole.c_n, s.B * s.H) < 1e-6, "cell %d: chunked c_n differs", cell);
        free(w), free(y), free(h), free(c);
        free_outputs(&whole);
        free_inputs(&in);
    }
    hpc_ctx_destroy(ctx);
}

static void test_validation(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    int64_t ws = 0;
    float buf[4096] = {0};
    tu_expect_invalid(ctx, hpc_rnn_workspace_size(ctx, (hpc_rnn_cell)7, 1, 1, 1, &ws), "bad cell", "cell = 7");
    tu_expect_invalid(ctx, hpc_rnn_workspace_size(ctx, HPC_RNN_LSTM, -1, 1, 1, &ws), "negative seq", "seq_len = -1");
    tu_expect_invalid(ctx, hpc_rnn_workspace_size(ctx, HPC_RNN_LSTM, 1, -2, 1, &ws), "negative batch", "batch = -2");
    tu_expect_invalid(ctx, hpc_rnn_workspace_size(ctx, HPC_RNN_LSTM, 1, 1, 0, &ws), "zero hidden", "hidden = 0");
    tu_expect_invalid(ctx, hpc_rnn_workspace_size(ctx, HPC_RNN_LSTM, (int64_t)1 << 40, (int64_t)1 << 20, 64, &ws),
                      "overflow", "overflows");
    tu_expect_invalid(ctx, hpc_rnn_workspace_size(ctx, HPC_RNN_LSTM, 1, 1, 1, NULL), "null out", "floats is null");
    TU_OK(hpc_rnn_workspace_size(ctx, HPC_RNN_LSTM, 2, 3, 4, &ws));
    TU_CHECK(ws >= 2 * 3 * 4 * 5 && ws < 4096, "workspace %lld", (long long)ws);
    tu_expect_invalid(ctx, hpc_rnn_forward(ctx, HPC_RNN_LSTM, 2, 3, 0, 4, buf, buf, buf, NULL, NULL, NULL, NULL, buf,
                                           NULL, NULL, buf, ws), "zero input", "input_size = 0");
    tu_expect_invalid(ctx, hpc_rnn_forward(ctx, HPC_RNN_LSTM, 2, 3, 2, 4, buf, NULL, buf, NULL, NULL, NULL, NULL, buf,
                                           NULL, NULL, buf, ws), "null w_ih", "w_ih is null");
    tu_expect_invalid(ctx, hpc_rnn_forward(ctx, HPC_RNN_LSTM, 2, 3, 2, 4, buf, buf, NULL, NULL, NULL, NULL, NULL, buf,
                                           NULL, NULL, buf, ws), "null w_hh", "w_hh is null");
    tu_expect_invalid(ctx, hpc_rnn_forward(ctx, HPC_RNN_LSTM, 2, 3, 2, 4, NULL, buf, buf, NULL, NULL, NULL, NULL, buf,
                                           NULL, NULL, buf, ws), "null x", "x is null");
    tu_expect_invalid(ctx, hpc_rnn_forward(ctx, HPC_RNN_LSTM, 2, 3, 2, 4, buf, buf, buf, NULL, NULL, NULL, NULL, NULL,
                                           NULL, NULL, buf, ws), "null y", "y is null");
    tu_expect_invalid(ctx, hpc_rnn_forward(ctx, HPC_RNN_LSTM, 2, 3, 2, 4, buf, buf, buf, NULL, NULL, NULL, NULL, buf,
                                           NULL, NULL, NULL, ws), "null workspace", "workspace is null");
    tu_expect_invalid(ctx, hpc_rnn_forward(ctx, HPC_RNN_LSTM, 2, 3, 2, 4, buf, buf, buf, NULL, NULL, NULL, NULL, buf,
                                           NULL, NULL, buf, ws - 1), "small workspace", "workspace_floats");
    tu_expect_invalid(ctx, hpc_rnn_backward(ctx, HPC_RNN_TANH, 2, 3, 2, 4, buf, buf, buf, NULL, NULL, buf, NULL, NULL,
                                            NULL, NULL, NULL, buf, buf, NULL, NULL, buf, 4096), "null dw_ih", "dw_ih is null");
    tu_expect_invalid(ctx, hpc_rnn_backward(ctx, HPC_RNN_TANH, 2, 3, 2, 4, buf, buf, buf, NULL, NULL, buf, NULL, NULL,
                                            NULL, NULL, buf, NULL, buf, NULL, NULL, buf, 4096), "null dw_hh", "dw_hh is null");
    tu_expect_invalid(NULL, hpc_rnn_workspace_size(NULL, HPC_RNN_LSTM, 1, 1, 1, &ws), "null ctx", "ctx is null");
    /* An empty sequence copies the initial state through and zeroes the weight gradients. */
    float h0[4] = {1, 2, 3, 4}, hn[4] = {0}, dw[32], dwh[64];
    for (int k = 0; k < 32; k++) dw[k] = NAN;
    for (int k = 0; k < 64; k++) dwh[k] = NAN;
    TU_OK(hpc_rnn_forward(ctx, HPC_RNN_LSTM, 0, 1, 2, 4, NULL, buf, buf, NULL, NULL, h0, NULL, NULL, hn, NULL, buf, ws));
    TU_CHECK(hn[0] == 1 && hn[3] == 4, "empty sequence h_n");
    TU_OK(hpc_rnn_backward(ctx, HPC_RNN_LSTM, 0, 1, 2, 4, NULL, buf, buf, NULL, NULL, NULL, NULL, NULL, NULL, NULL, dw,
                           dwh, NULL, NULL, NULL, buf, ws));
    TU_CHECK(dw[0] == 0 && dw[31] == 0 && dwh[63] == 0, "empty sequence gradients zeroed");
    hpc_ctx_destroy(ctx);
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    tu_seed(1234);
    test_reference();
    test_paths_and_threads();
    test_carried_state();
    test_validation();
    return tu_finish("test_rnn");
}
