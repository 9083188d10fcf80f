/* Convolution: every path against a naive 7-loop convolution in double, im2col / col2im SIMD
 * kernels bit for bit against the scalar ones, thread-count determinism, workspace tiling,
 * finite differences, the seed documents' worked numbers, and bad input. */
#include "testutil.h"
#include "conv/conv_internal.h"

static int64_t out_dim(int64_t in, int64_t k, int64_t st, int64_t pad, int64_t dil) {
    return (in + 2 * pad - dil * (k - 1) - 1) / st + 1;
}

static double act_ref(int act, double v) {
    switch (act) {
    case HPC_ACT_RELU: return v > 0 ? v : 0;
    case HPC_ACT_SIGMOID: return 1.0 / (1.0 + exp(-v));
    case HPC_ACT_TANH: return tanh(v);
    case HPC_ACT_ARCTAN: return atan(v);
    default: return v;
    }
}

/* The definition (eq. 32 of seed 004 with stride, padding, dilation): 7 loops, double. mag gets
 * the sum of |terms| per output, the scale of its float rounding error. */
static void ref_forward(const hpc_conv2d_desc* d, const float* x, const float* w, const float* bias, int act,
                        double* y, double* mag) {
    int64_t oh = out_dim(d->h, d->r, d->stride_h, d->pad_h, d->dilation_h);
    int64_t ow = out_dim(d->w, d->s, d->stride_w, d->pad_w, d->dilation_w);
    for (int64_t n = 0; n < d->n; n++)
        for (int64_t k = 0; k < d->k; k++)
            for (int64_t i = 0; i < oh; i++)
                for (int64_t j = 0; j < ow; j++) {
                    double acc = bias ? bias[k] : 0.0, m = bias ? fabs(bias[k]) : 0.0;
                    for (int64_t c = 0; c < d->c; c++)
                        for (int64_t r = 0; r < d->r; r++)
                            for (int64_t s = 0; s < d->s; s++) {
                                int64_t ih = i * d->stride_h - d->pad_h + r * d->dilation_h;
                                int64_t iw = j * d->stride_w - d->pad_w + s * d->dilation_w;
                                if (ih < 0 || ih >= d->h || iw < 0 || iw >= d->w) continue;
                                double t = (double)x[((n * d->c + c) * d->h + ih) * d->w + iw] *
                                           w[((k * d->c + c) * d->r + r) * d->s + s];
                                acc += t;
                                m += fabs(t);
                            }
                    int64_t o = ((n * d->k + k) * oh + i) * ow + j;
                    y[o] = act_ref(act, acc);
                    mag[o] = m;
                }
}

/* Transposed loops (eq. 34 and 36): dx scatters dy through w, dw gathers dy x, db sums dy. */
static void ref_backward(const hpc_conv2d_desc* d, const float* x, const float* w, const float* dy, double* dx,
                         double* dxmag, double* dw, double* dwmag, double* db) {
    int64_t oh = out_dim(d->h, d->r, d->stride_h, d->pad_h, d->dilation_h);
    int64_t ow = out_dim(d->w, d->s, d->stride_w, d->pad_w, d->dilation_w);
    memset(dx, 0, sizeof(double) * d->n * d->c * d->h * d->w);
    memset(dxmag, 0, sizeof(double) * d->n * d->c * d->h * d->w);
    memset(dw, 0, sizeof(double) * d->k * d->c * d->r * d->s);
    memset(dwmag, 0, sizeof(double) * d->k * d->c * d->r * d->s);
    memset(db, 0, sizeof(double) * d->k);
    for (int64_t n = 0; n < d->n; n++)
        for (int64_t k = 0; k < d->k; k++)
            for (int64_t i = 0; i < oh; i++)
                for (int64_t j = 0; j < ow; j++) {
                    double g = dy[((n * d->k + k) * oh + i) * ow + j];
                    db[k] += g;
                    for (int64_t c = 0; c < d->c; c++)
                        for (int64_t r = 0; r < d->r; r++)
                            for (int64_t s = 0; s < d->s; s++) {
                                int64_t ih = i * d->stride_h - d->pad_h + r * d->dilation_h;
                                int64_t iw = j * d->stride_w - d->pad_w + s * d->dilation_w;
                                if (ih < 0 || ih >= d->h || iw < 0 || iw >= d->w) continue;
                                int64_t xi = ((n * d->c + c) * d->h + ih) * d->w + iw;
                                int64_t wi = ((k * d->c + c) * d->r + r) * d->s + s;
                                dx[xi] += g * w[wi];
                                dxmag[xi] += fabs(g * w[wi]);
                                dw[wi] += g * x[xi];
                                dwmag[wi] += fabs(g * x[xi]);
                            }
                }
}

/* float32 GEMM over up to a few hundred terms: a few ulps of the term magnitudes. */
static int close_to(float got, double want, double mag) { return tu_close(got, want, 1e-6 + 3e-6 * mag, 0); }

static hpc_conv2d_desc random_desc(int wide) {
    for (;;) {
        hpc_conv2d_desc d;
        d.n = 1 + tu_next() % 3;
        /* wide: 1 = long rows, 2 = many filters (k > 16), 3 = deep (c r s > 75) with many filters,
         * 4 = shallow at stride 1 with at least 8 filters (the pixel-vectorised flat kernel),
         * 5 = channels and filters in multiples of 8 at stride 1 (the channel-blocked staging of
         * the 8-channel forward and backward-data), some k not */
        d.c = wide == 3 ? 4 + tu_next() % 6 : wide == 5 ? 8 * (1 + tu_next() % 3) : 1 + tu_next() % (wide ? 3 : 7);
        d.k = wide == 2   ? 17 + tu_next() % 24
              : wide == 3 ? 5 + tu_next() % 20
              : wide == 5 ? (tu_next() % 4 ? 8 * (1 + tu_next() % 5) : 5 + tu_next() % 36)
              : wide == 4 ? 8 + tu_next() % 33
                          : 1 + tu_next() % (wide ? 3 : 7);
        d.h = 1 + tu_next() % (wide == 1 ? 5 : wide == 4 ? 20 : 13);
        d.w = wide == 1 ? 20 + tu_next() % 48 : 1 + tu_next() % (wide == 4 ? 40 : 13);
        d.r = 1 + tu_next() % 5;
        d.s = 1 + tu_next() % 5;
        d.stride_h = 1 + tu_next() % 3;
        d.stride_w = 1 + tu_next() % 3;
        d.pad_h = tu_next() % 3;
        d.pad_w = tu_next() % 3;
        d.dilation_h = 1 + tu_next() % 2;
        d.dilation_w = 1 + tu_next() % 2;
        if (wide == 4 || wide == 5) d.stride_h = d.stride_w = 1;
        if (tu_next() % 7 == 0) { /* the 1x1 fast path */
            d.r = d.s = 1;
            d.stride_h = d.stride_w = 1;
            d.pad_h = d.pad_w = 0;
        }
        if (d.dilation_h * (d.r - 1) + 1 <= d.h + 2 * d.pad_h && d.dilation_w * (d.s - 1) + 1 <= d.w + 2 * d.pad_w)
            return d;
    }
}

typedef struct results {
    float *y, *dx, *dw, *db;
} results;

/* Runs the three kernels on one path; returns 0 when a call failed. x, w, dy are pre-filled. */
static int run_all(hpc_ctx* ctx, const hpc_conv2d_desc* d, const float* x, const float* w, const float* bias, int act,
                   const float* dy, void* ws, int64_t ws_bytes, results* out) {
    int ok = 1;
    ok &= hpc_conv2d_forward(ctx, d, x, w, bias, (hpc_activation)act, out->y, ws, ws_bytes) == HPC_STATUS_OK;
    ok &= hpc_conv2d_backward_data(ctx, d, dy, w, out->dx, ws, ws_bytes) == HPC_STATUS_OK;
    ok &= hpc_conv2d_backward_weights(ctx, d, x, dy, out->dw, out->db, ws, ws_bytes) == HPC_STATUS_OK;
    if (!ok) fprintf(stderr, "call failed: %s\n", hpc_ctx_last_error(ctx));
    return ok;
}

static void test_random_shapes(int count, int wide) {
    static const int acts[] = {HPC_ACT_IDENTITY, HPC_ACT_RELU, HPC_ACT_SIGMOID, HPC_ACT_TANH, HPC_ACT_ARCTAN};
    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    hpc_ctx* ctxs[4][2];
    for (int ii = 0; ii < nisa; ii++)
        for (int t = 0; t < 2; t++) ctxs[ii][t] = tu_ctx(isas[ii], t + 1);
    for (int it = 0; it < count; it++) {
        hpc_conv2d_desc d = random_desc(wide);
        int64_t oh = out_dim(d.h, d.r, d.stride_h, d.pad_h, d.dilation_h);
        int64_t ow = out_dim(d.w, d.s, d.stride_w, d.pad_w, d.dilation_w);
        int64_t nx = d.n * d.c * d.h * d.w, nw = d.k * d.c * d.r * d.s, ny = d.n * d.k * oh * ow;
        int act = acts[tu_next() % 5];
        int use_bias = tu_next() % 4 != 0;
        /* +1: every buffer is used one float past a malloc'd (aligned) start. */
        float *xb = tu_alloc(nx + 1), *wb = tu_alloc(nw + 1), *bb = tu_alloc(d.k + 1), *dyb = tu_alloc(ny + 1);
        float *x = xb + 1, *w = wb + 1, *bias = use_bias ? bb + 1 : NULL, *dy = dyb + 1;
        tu_fill(x, nx, -1, 1);
        tu_fill(w, nw, -1, 1);
        tu_fill(bb + 1, d.k, -1, 1);
        tu_fill(dy, ny, -1, 1);
        double *ry = malloc(sizeof(double) * ny), *rym = malloc(sizeof(double) * ny);
        double *rdx = malloc(sizeof(double) * nx), *rdxm = malloc(sizeof(double) * nx);
        double *rdw = malloc(sizeof(double) * nw), *rdwm = malloc(sizeof(double) * nw), *rdb = malloc(sizeof(double) * d.k);
        ref_forward(&d, x, w, bias, act, ry, rym);
        ref_backward(&d, x, w, dy, rdx, rdxm, rdw, rdwm, rdb);

        hpc_ctx* c0 = tu_ctx(HPC_ISA_SCALAR, 1);
        int64_t full = -1, oh2 = -1, ow2 = -1;
        TU_OK(hpc_conv2d_workspace_size(c0, &d, &full));
        TU_OK(hpc_conv2d_output_size(c0, &d, &oh2, &ow2));
        TU_CHECK(oh2 == oh && ow2 == ow, "output size %lldx%lld", (long long)oh2, (long long)ow2);
        int pointwise = d.r == 1 && d.s == 1 && d.stride_h == 1 && d.stride_w == 1 && d.pad_h == 0 && d.pad_w == 0;
        TU_CHECK(full == (pointwise ? 0 : d.c * d.r * d.s * oh * ow * 4), "workspace %lld", (long long)full);
        hpc_ctx_destroy(c0);
        /* Every other shape also runs with a workspace of a few columns: the tiled path. */
        int64_t small = pointwise ? 0 : d.c * d.r * d.s * 4 * (1 + (int64_t)(tu_next() % 5));
        int64_t sizes[2] = {full, small < full ? small : full};
        void* ws = malloc((size_t)(full > 0 ? full : 1));

        for (int ii = 0; ii < nisa; ii++)
            for (int wsi = 0; wsi < 2; wsi++) {
                results r[2];
                for (int t = 0; t < 2; t++) {
                    r[t].y = tu_alloc(ny), r[t].dx = tu_alloc(nx), r[t].dw = tu_alloc(nw), r[t].db = tu_alloc(d.k);
                    TU_CHECK(run_all(ctxs[ii][t], &d, x, w, bias, act, dy, ws, sizes[wsi], &r[t]), "%s",
                             hpc_isa_name(isas[ii]));
                }
                int bad = 0;
                for (int64_t i = 0; i < ny && bad < 3; i++)
                    if (!close_to(r[0].y[i], ry[i], rym[i]))
                        { bad++; TU_CHECK(0, "forward %s ws %lld y[%lld] = %.9g want %.9g (n%lld c%lld %lldx%lld k%lld "
                                           "%lldx%lld st%lld,%lld pad%lld,%lld dil%lld,%lld act %d)",
                                        hpc_isa_name(isas[ii]), (long long)sizes[wsi], (long long)i, r[0].y[i], ry[i],
                                        (long long)d.n, (long long)d.c, (long long)d.h, (long long)d.w, (long long)d.k,
                                        (long long)d.r, (long long)d.s, (long long)d.stride_h, (long long)d.stride_w,
                                        (long long)d.pad_h, (long long)d.pad_w, (long long)d.dilation_h,
                                        (long long)d.dilation_w, act); }
                for (int64_t i = 0; i < nx && bad < 3; i++)
                    if (!close_to(r[0].dx[i], rdx[i], rdxm[i]))
                        { bad++; TU_CHECK(0, "backward_data %s dx[%lld] = %.9g want %.9g", hpc_isa_name(isas[ii]),
                                        (long long)i, r[0].dx[i], rdx[i]); }
                for (int64_t i = 0; i < nw && bad < 3; i++)
                    if (!close_to(r[0].dw[i], rdw[i], rdwm[i]))
                        { bad++; TU_CHECK(0, "backward_weights %s dw[%lld] = %.9g want %.9g", hpc_isa_name(isas[ii]),
                                        (long long)i, r[0].dw[i], rdw[i]); }
                for (int64_t i = 0; i < d.k && bad < 3; i++)
                    if (!tu_close(r[0].db[i], rdb[i], 1e-5, 1e-6))
                        { bad++; TU_CHECK(0, "db[%lld] = %.9g want %.9g", (long long)i, r[0].db[i], rdb[i]); }
                /* OpenBLAS's own GEMMs change with its thread count (documented at hpc_sgemm) */
                if (isas[ii] == HPC_ISA_OPENBLAS) {
                    for (int t = 0; t < 2; t++) free(r[t].y), free(r[t].dx), free(r[t].dw), free(r[t].db);
                    continue;
                }
                TU_CHECK(memcmp(r[0].dw, r[1].dw, sizeof(float) * nw) == 0 &&
                             memcmp(r[0].db, r[1].db, sizeof(float) * d.k) == 0,
                         "backward_weights %s: 1 and 2 threads differ", hpc_isa_name(isas[ii]));
                TU_CHECK(memcmp(r[0].y, r[1].y, sizeof(float) * ny) == 0, "forward %s: 1 and 2 threads differ",
                         hpc_isa_name(isas[ii]));
                TU_CHECK(memcmp(r[0].dx, r[1].dx, sizeof(float) * nx) == 0,
                         "backward_data %s: 1 and 2 threads differ (n%lld c%lld %lldx%lld k%lld %lldx%lld st%lld,%lld "
                         "pad%lld,%lld dil%lld,%lld)", hpc_isa_name(isas[ii]), (long long)d.n, (long long)d.c,
                         (long long)d.h, (long long)d.w, (long long)d.k, (long long)d.r, (long long)d.s,
                         (long long)d.stride_h, (long long)d.stride_w, (long long)d.pad_h, (long long)d.pad_w,
                         (long long)d.dilation_h, (long long)d.dilation_w);
                for (int t = 0; t < 2; t++) free(r[t].y), free(r[t].dx), free(r[t].dw), free(r[t].db);
            }
        free(ws), free(xb), free(wb), free(bb), free(dyb);
        free(ry), free(rym), free(rdx), free(rdxm), free(rdw), free(rdwm), free(rdb);
    }
    for (int ii = 0; ii < nisa; ii++)
        for (int t = 0; t < 2; t++) hpc_ctx_destroy(ctxs[ii][t]);
}

/* The SIMD im2col / col2im must reproduce the scalar ones exactly, on any tile of pixels. */
static void test_im2col_kernels(void) {
    struct { hpc_isa isa; hpc_im2col_fn im; hpc_col2im_fn ci; } paths[] = {
        {HPC_ISA_AVX2, hpc_im2col_avx2, hpc_col2im_avx2},
        {HPC_ISA_AVX512, hpc_im2col_avx512, hpc_col2im_avx512},
    };
    for (int it = 0; it < 300; it++) {
        hpc_conv2d_desc d = random_desc(it % 2);
        d.n = 1;
        if (it % 3 == 0) d.w += 40; /* long rows for the 16-wide stride-2 loads */
        hpc_conv_geom g = {d.n, d.c, d.h, d.w, d.k, d.r, d.s, d.stride_h, d.stride_w, d.pad_h, d.pad_w,
                           d.dilation_h, d.dilation_w, 0, 0, 0, 0};
        g.oh = out_dim(d.h, d.r, d.stride_h, d.pad_h, d.dilation_h);
        g.ow = out_dim(d.w, d.s, d.stride_w, d.pad_w, d.dilation_w);
        if (g.oh < 1 || g.ow < 1) continue;
        g.ohw = g.oh * g.ow, g.crs = d.c * d.r * d.s;
        int64_t p0 = tu_next() % g.ohw, np = 1 + tu_next() % (g.ohw - p0);
        int64_t nx = d.c * d.h * d.w;
        float* x = tu_alloc(nx);
        tu_fill(x, nx, -1, 1);
        float *ref = tu_alloc(g.crs * np), *got = tu_alloc(g.crs * np);
        for (int64_t c = 0; c < d.c; c++)
            for (int64_t r = 0; r < d.r; r++) hpc_im2col_scalar(&g, x, c, r, p0, np, ref);
        /* the scalar kernel against the definition */
        int bad = 0;
        for (int64_t c = 0; c < d.c && !bad; c++)
            for (int64_t r = 0; r < d.r; r++)
                for (int64_t s = 0; s < d.s; s++)
                    for (int64_t j = 0; j < np; j++) {
                        int64_t p = p0 + j, ih = (p / g.ow) * g.sh - g.ph + r * g.dh, iw = (p % g.ow) * g.sw - g.pw + s * g.dw;
                        float want = (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) ? 0.0f : x[(c * g.h + ih) * g.w + iw];
                        if (ref[((c * g.r + r) * g.s + s) * np + j] != want) bad = 1;
                    }
        TU_CHECK(!bad, "im2col_scalar differs from the definition (it %d)", it);
        float* col = tu_alloc(g.crs * np);
        tu_fill(col, g.crs * np, -1, 1);
        float *dref = tu_alloc(nx), *dgot = tu_alloc(nx);
        tu_fill(dref, nx, -1, 1);
        memcpy(dgot, dref, sizeof(float) * nx);
        for (int64_t c = 0; c < d.c; c++) hpc_col2im_scalar(&g, col, c, p0, np, dref);
        for (int pi = 0; pi < 2; pi++) {
            if (!tu_wants(paths[pi].isa)) continue;
            memset(got, 0xff, sizeof(float) * g.crs * np);
            for (int64_t c = 0; c < d.c; c++)
                for (int64_t r = 0; r < d.r; r++) paths[pi].im(&g, x, c, r, p0, np, got);
            TU_CHECK(memcmp(ref, got, sizeof(float) * g.crs * np) == 0, "im2col %s (it %d, w %lld stride %lld)",
                     hpc_isa_name(paths[pi].isa), it, (long long)d.w, (long long)d.stride_w);
            float* d2 = tu_alloc(nx);
            memcpy(d2, dgot, sizeof(float) * nx);
            for (int64_t c = 0; c < d.c; c++) paths[pi].ci(&g, col, c, p0, np, d2);
            TU_CHECK(memcmp(dref, d2, sizeof(float) * nx) == 0, "col2im %s (it %d)", hpc_isa_name(paths[pi].isa), it);
            free(d2);
        }
        free(x), free(ref), free(got), free(col), free(dref), free(dgot);
    }
}

/* L = sum(g * conv(x, w)): its finite differences must match backward_data / backward_weights. */
static void test_finite_differences(void) {
    hpc_conv2d_desc d = {2, 3, 7, 6, 4, 3, 2, 2, 1, 1, 2, 1, 2};
    int64_t oh = out_dim(d.h, d.r, d.stride_h, d.pad_h, d.dilation_h), ow = out_dim(d.w, d.s, d.stride_w, d.pad_w, d.dilation_w);
    int64_t nx = d.n * d.c * d.h * d.w, nw = d.k * d.c * d.r * d.s, ny = d.n * d.k * oh * ow;
    float *x = tu_alloc(nx), *w = tu_alloc(nw), *b = tu_alloc(d.k), *g = tu_alloc(ny), *y = tu_alloc(ny);
    float *dx = tu_alloc(nx), *dw = tu_alloc(nw), *db = tu_alloc(d.k);
    tu_fill(x, nx, -1, 1), tu_fill(w, nw, -1, 1), tu_fill(b, d.k, -1, 1), tu_fill(g, ny, -1, 1);
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 2);
    int64_t wsb = 0;
    TU_OK(hpc_conv2d_workspace_size(ctx, &d, &wsb));
    void* ws = malloc((size_t)wsb);
    TU_OK(hpc_conv2d_backward_data(ctx, &d, g, w, dx, ws, wsb));
    TU_OK(hpc_conv2d_backward_weights(ctx, &d, x, g, dw, db, ws, wsb));
#define LOSS(out)                                                                             \
    do {                                                                                      \
        TU_OK(hpc_conv2d_forward(ctx, &d, x, w, b, HPC_ACT_IDENTITY, y, ws, wsb));            \
        double acc = 0;                                                                       \
        for (int64_t i = 0; i < ny; i++) acc += (double)g[i] * y[i];                          \
        out = acc;                                                                            \
    } while (0)
    const float eps = 1e-2f;
    float* vars[3] = {x, w, b};
    float* grads[3] = {dx, dw, db};
    int64_t lens[3] = {nx, nw, d.k};
    for (int v = 0; v < 3; v++)
        for (int t = 0; t < 12; t++) {
            int64_t i = tu_next() % lens[v];
            float keep = vars[v][i];
            double lp, lm;
            vars[v][i] = keep + eps;
            LOSS(lp);
            vars[v][i] = keep - eps;
            LOSS(lm);
            vars[v][i] = keep;
            double fd = (lp - lm) / (2.0 * eps);
            TU_CHECK(tu_close(grads[v][i], fd, 2e-3, 2e-3), "finite difference %d[%lld]: %.6g vs %.6g", v, (long long)i,
                     grads[v][i], fd);
        }
#undef LOSS
    hpc_ctx_destroy(ctx);
    free(ws), free(x), free(w), free(b), free(g), free(y), free(dx), free(dw), free(db);
}

/* Runs a single-image convolution on every path and checks y against want. */
static void check_seed(const char* name, hpc_conv2d_desc d, const float* x, const float* w, const float* bias,
                       hpc_activation act, const float* want, int64_t oh, int64_t ow) {
    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    for (int ii = 0; ii < nisa; ii++) {
        hpc_ctx* ctx = tu_ctx(isas[ii], 1);
        int64_t gh = 0, gw = 0, wsb = 0;
        TU_OK(hpc_conv2d_output_size(ctx, &d, &gh, &gw));
        TU_CHECK(gh == oh && gw == ow, "%s: output %lldx%lld", name, (long long)gh, (long long)gw);
        TU_OK(hpc_conv2d_workspace_size(ctx, &d, &wsb));
        void* ws = malloc((size_t)wsb + 1);
        float* y = tu_alloc(d.n * d.k * oh * ow);
        TU_OK(hpc_conv2d_forward(ctx, &d, x, w, bias, act, y, ws, wsb));
        for (int64_t i = 0; i < d.n * d.k * oh * ow; i++)
            TU_CHECK(y[i] == want[i], "%s (%s): y[%lld] = %g, notes say %g", name, hpc_isa_name(isas[ii]), (long long)i,
                     y[i], want[i]);
        free(y), free(ws);
        hpc_ctx_destroy(ctx);
    }
}

static void test_seeds(void) {
    /* Seed 002, eq. 90-93: the 6x6 image of a "4". */
    static const float four[36] = {0, 0,   0,   0,   0,   0, 0, 255, 0, 0,   0, 0, 0, 255, 0,   255, 0, 0,
                                   0, 255, 255, 255, 255, 0, 0, 0,   0, 255, 0, 0, 0, 0,   0,   0,   0, 0};
    static const float vert[9] = {-1, 1, -1, -1, 1, -1, -1, 1, -1};
    static const float horiz[9] = {-1, -1, -1, 1, 1, 1, -1, -1, -1};
    static const float eq90[16] = {510, 0, 255, 0, 510, 0, 0, 0, 255, 0, 255, 0, 0, 0, 0, 0};
    static const float eq91[16] = {0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 255, 0, 0, 0, 0, 0};
    static const float eq92[36] = {0, 255, 0, 0, 0, 0, 0, 510, 0, 255, 0, 0, 0, 510, 0, 0, 0, 0,
                                   0, 255, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0};
    static const float eq93[36] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                   0, 255, 0, 255, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    hpc_conv2d_desc d = {1, 1, 6, 6, 1, 3, 3, 1, 1, 0, 0, 1, 1};
    check_seed("eq. 90 vertical filter", d, four, vert, NULL, HPC_ACT_RELU, eq90, 4, 4);
    check_seed("eq. 91 horizontal filter", d, four, horiz, NULL, HPC_ACT_RELU, eq91, 4, 4);
    d.pad_h = d.pad_w = 1;
    check_seed("eq. 92 padded vertical", d, four, vert, NULL, HPC_ACT_RELU, eq92, 6, 6);
    check_seed("eq. 93 padded horizontal", d, four, horiz, NULL, HPC_ACT_RELU, eq93, 6, 6);

    /* Seed 002, eq. 99-103: RGB input, one 2x2x3 filter, bias 0.5, rectifier. */
    static const float rgb[27] = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 2, 3, 0, 0, 0, 3, 0, 0, 0, 3};
    static const float rgbw[12] = {1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1};
    static const float half = 0.5f, eq103[4] = {8.5f, 6.5f, 0.5f, 10.5f};
    hpc_conv2d_desc drgb = {1, 3, 3, 3, 1, 2, 2, 1, 1, 0, 0, 1, 1};
    check_seed("eq. 103 RGB", drgb, rgb, rgbw, &half, HPC_ACT_RELU, eq103, 2, 2);

    /* Seed 004: [[-1, 1], [-1, 1]], bias -1, ReLU gives 1 exactly on a black-white vertical edge:
     * all 16 binary 2x2 patches as a batch of 16 images. */
    float patches[64], edge_want[16];
    for (int p = 0; p < 16; p++) {
        for (int b = 0; b < 4; b++) patches[p * 4 + b] = (float)((p >> b) & 1);
        edge_want[p] = (patches[p * 4] == 0 && patches[p * 4 + 1] == 1 && patches[p * 4 + 2] == 0 && patches[p * 4 + 3] == 1);
    }
    static const float edge[4] = {-1, 1, -1, 1}, minus1 = -1.0f;
    hpc_conv2d_desc de = {16, 1, 2, 2, 1, 2, 2, 1, 1, 0, 0, 1, 1};
    check_seed("seed 004 edge filter", de, patches, edge, &minus1, HPC_ACT_RELU, edge_want, 1, 1);
    /* ... and slid over a 4x5 image whose right half is white: 1 only along the edge column. */
    static const float halfimg[20] = {0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1};
    static const float halfwant[12] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0};
    hpc_conv2d_desc dh = {1, 1, 4, 5, 1, 2, 2, 1, 1, 0, 0, 1, 1};
    check_seed("seed 004 edge image", dh, halfimg, edge, &minus1, HPC_ACT_RELU, halfwant, 3, 4);

    /* Seed 004: 100x100 image, 5x5 filter, stride 2 -> 48x48. */
    hpc_ctx* ctx = tu_ctx(HPC_ISA_SCALAR, 1);
    hpc_conv2d_desc d100 = {1, 1, 100, 100, 1, 5, 5, 2, 2, 0, 0, 1, 1};
    int64_t oh = 0, ow = 0;
    TU_OK(hpc_conv2d_output_size(ctx, &d100, &oh, &ow));
    TU_CHECK(oh == 48 && ow == 48, "100x100, 5x5, stride 2: %lldx%lld", (long long)oh, (long long)ow);
    hpc_ctx_destroy(ctx);
}

static void test_bad_input(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    float buf[4096] = {0};
    int64_t oh, ow, b;
    hpc_conv2d_desc ok = {1, 2, 6, 6, 3, 3, 3, 1, 1, 0, 0, 1, 1};
    hpc_conv2d_desc d = ok;
    d.r = d.s = 5, d.h = d.w = 3;
    tu_expect_invalid(ctx, hpc_conv2d_output_size(ctx, &d, &oh, &ow), "kernel larger than input", "5x5");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "3x3") != NULL, "names the input: %s", hpc_ctx_last_error(ctx));
    d.pad_h = d.pad_w = 1; /* 5x5 fits exactly in the padded 5x5 */
    TU_OK(hpc_conv2d_output_size(ctx, &d, &oh, &ow));
    TU_CHECK(oh == 1 && ow == 1, "5x5 in padded 3x3: %lldx%lld", (long long)oh, (long long)ow);
    d = ok, d.dilation_h = 3; /* dilated 7 rows > 6 */
    tu_expect_invalid(ctx, hpc_conv2d_forward(ctx, &d, buf, buf, NULL, HPC_ACT_RELU, buf, buf, sizeof buf),
                   "dilated kernel larger than input", "dilated 7x3");
    d = ok, d.stride_h = 0;
    tu_expect_invalid(ctx, hpc_conv2d_forward(ctx, &d, buf, buf, NULL, HPC_ACT_RELU, buf, buf, sizeof buf), "stride 0",
                   "stride_h = 0");
    d = ok, d.stride_w = -2;
    tu_expect_invalid(ctx, hpc_conv2d_backward_data(ctx, &d, buf, buf, buf, buf, sizeof buf), "negative stride",
                   "stride_w = -2");
    d = ok, d.n = -1;
    tu_expect_invalid(ctx, hpc_conv2d_backward_weights(ctx, &d, buf, buf, buf, NULL, buf, sizeof buf), "negative n", "n = -1");
    d = ok, d.c = 0;
    tu_expect_invalid(ctx, hpc_conv2d_workspace_size(ctx, &d, &b), "zero channels", "c = 0");
    d = ok, d.pad_w = -1;
    tu_expect_invalid(ctx, hpc_conv2d_workspace_size(ctx, &d, &b), "negative pad", "pad_w = -1");
    d = ok, d.h = (int64_t)1 << 40;
    tu_expect_invalid(ctx, hpc_conv2d_workspace_size(ctx, &d, &b), "huge h", "h = 1099511627776");
    d = ok, d.n = d.c = d.h = d.w = d.k = 2147483647;
    d.r = d.s = 1;
    tu_expect_invalid(ctx, hpc_conv2d_workspace_size(ctx, &d, &b), "overflowing sizes", "overflow");
    /* Workspace: ok needs 2*3*3*4*4*4 = 1152 bytes; at least one column (72 bytes) is required. */
    TU_OK(hpc_conv2d_workspace_size(ctx, &ok, &b));
    TU_CHECK(b == 1152, "workspace %lld", (long long)b);
    /* (SIGMOID: the im2col path on every ISA; the direct kernel takes IDENTITY / RELU only) */
    tu_expect_invalid(ctx, hpc_conv2d_forward(ctx, &ok, buf, buf, NULL, HPC_ACT_SIGMOID, buf, buf, 71),
                   "workspace too small", "workspace_bytes = 71");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "72") != NULL, "names the need: %s", hpc_ctx_last_error(ctx));
    TU_OK(hpc_conv2d_forward(ctx, &ok, buf, buf, NULL, HPC_ACT_SIGMOID, buf + 2048, buf + 1024, 72));
    tu_expect_invalid(ctx, hpc_conv2d_forward(ctx, &ok, buf, buf, NULL, HPC_ACT_SIGMOID, buf, NULL, 1152),
                   "null workspace", "workspace is null");
    tu_expect_invalid(ctx, hpc_conv2d_backward_data(ctx, &ok, buf, buf, buf, buf, 71), "workspace too small",
                   "workspace_bytes = 71");
    {
        hpc_ctx* cs = tu_ctx(HPC_ISA_SCALAR, 1);
        tu_expect_invalid(cs, hpc_conv2d_forward(cs, &ok, buf, buf, NULL, HPC_ACT_RELU, buf, NULL, 0),
                       "scalar path needs the workspace", "workspace_bytes = 0");
        hpc_ctx_destroy(cs);
        if (tu_wants(HPC_ISA_AVX2)) { /* the direct kernel's domain: no workspace needed */
            hpc_ctx* ca = tu_ctx(HPC_ISA_AVX2, 1);
            TU_OK(hpc_conv2d_forward(ca, &ok, buf, buf, NULL, HPC_ACT_RELU, buf + 2048, NULL, 0));
            hpc_ctx_destroy(ca);
        }
    }
    tu_expect_invalid(ctx, hpc_conv2d_backward_data(ctx, &ok, buf, buf, buf, buf, -5), "negative workspace",
                   "workspace_bytes = -5");
    tu_expect_invalid(ctx, hpc_conv2d_forward(ctx, &ok, NULL, buf, NULL, HPC_ACT_RELU, buf, buf, 1152), "null x", "x is null");
    tu_expect_invalid(ctx, hpc_conv2d_backward_weights(ctx, &ok, buf, buf, NULL, NULL, buf, 1152), "null dw", "dw is null");
    tu_expect_invalid(ctx, hpc_conv2d_forward(ctx, NULL, buf, buf, NULL, HPC_ACT_RELU, buf, buf, 1152), "null desc",
                   "desc is null");
    tu_expect_invalid(ctx, hpc_conv2d_forward(ctx, &ok, buf, buf, NULL, (hpc_activation)99, buf, buf, 1152), "bad act",
                   "act = 99");
    TU_CHECK(hpc_conv2d_forward(ctx, &ok, buf, buf, NULL, HPC_ACT_LEAKY_RELU, buf, buf, 1152) == HPC_STATUS_UNSUPPORTED,
             "leaky relu needs a slope");
    TU_CHECK(hpc_conv2d_forward(NULL, &ok, buf, buf, NULL, HPC_ACT_RELU, buf, buf, 1152) == HPC_STATUS_INVALID_ARGUMENT,
             "null ctx");
    /* 1x1 needs no workspace; an empty batch touches nothing. */
    hpc_conv2d_desc pw = {2, 3, 4, 5, 2, 1, 1, 1, 1, 0, 0, 1, 1};
    TU_OK(hpc_conv2d_workspace_size(ctx, &pw, &b));
    TU_CHECK(b == 0, "1x1 workspace %lld", (long long)b);
    TU_OK(hpc_conv2d_forward(ctx, &pw, buf, buf, NULL, HPC_ACT_IDENTITY, buf + 1024, NULL, 0));
    d = ok, d.n = 0;
    TU_OK(hpc_conv2d_forward(ctx, &d, NULL, NULL, NULL, HPC_ACT_RELU, NULL, buf, 1152));
    float dw[54], db[3];
    for (int i = 0; i < 54; i++) dw[i] = 7;
    TU_OK(hpc_conv2d_backward_weights(ctx, &d, NULL, NULL, dw, db, buf, 1152));
    TU_CHECK(dw[0] == 0 && dw[53] == 0 && db[2] == 0, "empty batch: zero gradients");
    hpc_ctx_destroy(ctx);
}

/* Outputs of 4 MiB and more leave the flat forward through non-temporal stores when the output is
 * 32-byte aligned: the batch, aligned and not, must equal image-by-image calls (small outputs,
 * ordinary stores) bit for bit, and the reference. */
static void test_large_batch_streaming(void) {
    static const hpc_conv2d_desc shapes[] = {
        {48, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1},  /* LeNet's first layer: 4.8 MB out */
        {64, 3, 32, 32, 17, 3, 3, 1, 1, 1, 1, 1, 1}}; /* RGB, a last group of 2 filters: 4.5 MB */
    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    for (int si = 0; si < 2; si++) {
        const hpc_conv2d_desc* d = &shapes[si];
        int64_t oh = out_dim(d->h, d->r, d->stride_h, d->pad_h, d->dilation_h);
        int64_t ow = out_dim(d->w, d->s, d->stride_w, d->pad_w, d->dilation_w);
        int64_t img_x = d->c * d->h * d->w, img_y = d->k * oh * ow, nx = d->n * img_x, ny = d->n * img_y;
        float *x = tu_alloc(nx), *w = tu_alloc(d->k * d->c * d->r * d->s), *bias = tu_alloc(d->k);
        tu_fill(x, nx, -1, 1);
        tu_fill(w, d->k * d->c * d->r * d->s, -1, 1);
        tu_fill(bias, d->k, -1, 1);
        double *ry = malloc(sizeof(double) * ny), *rym = malloc(sizeof(double) * ny);
        ref_forward(d, x, w, bias, HPC_ACT_RELU, ry, rym);
        float* aligned = aligned_alloc(64, (size_t)(ny + 16) * sizeof(float));
        float *each = tu_alloc(ny), *outs[2] = {aligned, aligned + 1};
        for (int ii = 0; ii < nisa; ii++)
            for (int t = 1; t <= 2; t++) {
                hpc_ctx* ctx = tu_ctx(isas[ii], t);
                hpc_conv2d_desc one = *d;
                one.n = 1;
                int64_t wsb = 0;
                TU_OK(hpc_conv2d_workspace_size(ctx, d, &wsb));
                void* ws = malloc((size_t)wsb + 1);
                for (int64_t b = 0; b < d->n; b++)
                    TU_OK(hpc_conv2d_forward(ctx, &one, x + b * img_x, w, bias, HPC_ACT_RELU, each + b * img_y, ws, wsb));
                for (int a = 0; a < 2; a++) {
                    float* y = outs[a];
                    TU_OK(hpc_conv2d_forward(ctx, d, x, w, bias, HPC_ACT_RELU, y, ws, wsb));
                    int64_t bad = 0, far = 0;
                    for (int64_t i = 0; i < ny; i++) {
                        bad += memcmp(&y[i], &each[i], sizeof(float)) != 0;
                        far += !close_to(y[i], ry[i], rym[i]);
                    }
                    TU_CHECK(bad == 0 && far == 0, "%s %d threads shape %d %s: %lld outputs differ from one image at "
                             "a time, %lld from the reference", hpc_isa_name(isas[ii]), t, si,
                             a ? "unaligned" : "aligned", (long long)bad, (long long)far);
                }
                free(ws);
                hpc_ctx_destroy(ctx);
            }
        free(x), free(w), free(bias), free(ry), free(rym), free(aligned), free(each);
    }
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    tu_seed(2026);
    test_seeds();
    test_bad_input();
    test_im2col_kernels();
    test_finite_differences();
    test_random_shapes(220, 0);
    test_random_shapes(40, 1);
    test_random_shapes(40, 2); /* the chunked weight gradient of shallow layers with many filters */
    test_random_shapes(60, 3); /* the channel-vectorised direct forward: full and partial 8-filter blocks */
    test_random_shapes(60, 4); /* the pixel-vectorised flat forward: row ends, filter groups of 1 to 4 */
    test_random_shapes(30, 5); /* the channel-blocked 8-channel forward and backward-data */
    test_large_batch_streaming();
    return tu_finish("test_conv");
}
