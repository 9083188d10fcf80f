/* Loss family: fused softmax + cross-entropy, softmax forward/backward, MSE, SSE, L1, BCE on
 * logits. Scalar reference vs a double-precision loop, every SIMD path vs the scalar reference,
 * sizes 1..67 (and long inputs), unaligned pointers, aliasing, bad input, seed numbers. */
#include "testutil.h"
#include <float.h>

/* Double reference of the fused kernel; writes dlogits in double. */
static double ce_ref(int64_t batch, int64_t classes, const float* x, int64_t ld, const int32_t* lab, double* d) {
    double total = 0;
    for (int64_t i = 0; i < batch; i++) {
        const float* r = x + i * ld;
        double m = r[0], s = 0;
        for (int64_t j = 1; j < classes; j++) m = r[j] > m ? r[j] : m;
        for (int64_t j = 0; j < classes; j++) s += exp(r[j] - m);
        total += m + log(s) - r[lab[i]];
        for (int64_t j = 0; j < classes; j++)
            d[i * classes + j] = (exp(r[j] - m) / s - (j == lab[i] ? 1.0 : 0.0)) / (double)batch;
    }
    return total / (double)batch;
}

static void test_cross_entropy(hpc_ctx* ref, hpc_ctx** ctxs, hpc_isa* isas, int nisa) {
    const int64_t batches[] = {1, 2, 5};
    float* buf = tu_alloc(5 * 80 + 8);
    float* dr = tu_alloc(5 * 67 + 8);
    float* dk = tu_alloc(5 * 67 + 8);
    float* yb = tu_alloc(5 * 67 + 8); /* the in-place run's buffer, apart from the scalar reference */
    double* dd = (double*)malloc(5 * 67 * sizeof(double));
    int32_t lab[5];
    for (int bi = 0; bi < 3; bi++)
        for (int64_t classes = 1; classes <= 67; classes++) {
            int64_t batch = batches[bi], ld = classes + (classes % 3);
            float* x = buf + 1;
            float* drs = dr + 1;
            float* dks = dk + 3;
            tu_fill(x, batch * ld, -8.0f, 8.0f);
            for (int64_t i = 0; i < batch; i++) lab[i] = (int32_t)(tu_next() % (uint64_t)classes);
            float lr;
            TU_OK(hpc_softmax_cross_entropy(ref, batch, classes, x, ld, lab, &lr, drs));
            double ld_ = ce_ref(batch, classes, x, ld, lab, dd);
            TU_CHECK(tu_close(lr, ld_, 1e-7, 1e-6), "scalar CE batch %lld classes %lld: %.9g vs %.9g", (long long)batch,
                     (long long)classes, lr, ld_);
            for (int64_t i = 0; i < batch * classes; i++)
                TU_CHECK(tu_close(drs[i], dd[i], 1e-8, 1e-6), "scalar dlogits[%lld] %.9g vs %.9g", (long long)i, drs[i],
                         dd[i]);
            for (int k = 0; k < nisa; k++) {
                float lk, ln;
                TU_OK(hpc_softmax_cross_entropy(ctxs[k], batch, classes, x, ld, lab, &lk, dks));
                TU_CHECK(tu_close(lk, lr, 1e-7, 1e-6), "%s CE %.9g vs %.9g", hpc_isa_name(isas[k]), lk, lr);
                for (int64_t i = 0; i < batch * classes; i++)
                    TU_CHECK(tu_close(dks[i], drs[i], 1e-8, 1e-6), "%s dlogits[%lld] %.9g vs %.9g", hpc_isa_name(isas[k]),
                             (long long)i, dks[i], drs[i]);
                TU_OK(hpc_softmax_cross_entropy(ctxs[k], batch, classes, x, ld, lab, &ln, NULL));
                TU_CHECK(ln == lk, "%s loss without dlogits %.9g vs %.9g", hpc_isa_name(isas[k]), ln, lk);
                if (ld == classes) { /* in place: dlogits aliases logits */
                    float* y = yb + 1;
                    memcpy(y, x, (size_t)(batch * classes) * sizeof(float));
                    TU_OK(hpc_softmax_cross_entropy(ctxs[k], batch, classes, y, ld, lab, &ln, y));
                    TU_CHECK(ln == lk && memcmp(y, dks, (size_t)(batch * classes) * sizeof(float)) == 0,
                             "%s CE in place", hpc_isa_name(isas[k]));
                }
            }
        }
    /* Stability: huge logits stay finite, and the gradient agrees with central differences. */
    for (int k = 0; k < nisa; k++) {
        float x[4] = {1000.0f, -1000.0f, 999.0f, 0.0f}, d[4], l;
        int32_t y = 2;
        TU_OK(hpc_softmax_cross_entropy(ctxs[k], 1, 4, x, 4, &y, &l, d));
        TU_CHECK(tu_close(l, 1.0 + log1p(exp(-1.0)), 1e-6, 1e-6), "%s CE of huge logits %.9g", hpc_isa_name(isas[k]), l);
        float z[6] = {0.3f, -1.2f, 2.0f, 0.7f, 0.1f, -0.4f}, g[6];
        int32_t labs[2] = {2, 0};
        TU_OK(hpc_softmax_cross_entropy(ctxs[k], 2, 3, z, 3, labs, &l, g));
        for (int i = 0; i < 6; i++) {
            float zp[6], zm[6], lp, lm;
            memcpy(zp, z, sizeof z);
            memcpy(zm, z, sizeof z);
            zp[i] += 1e-2f;
            zm[i] -= 1e-2f;
            TU_OK(hpc_softmax_cross_entropy(ctxs[k], 2, 3, zp, 3, labs, &lp, NULL));
            TU_OK(hpc_softmax_cross_entropy(ctxs[k], 2, 3, zm, 3, labs, &lm, NULL));
            double fd = ((double)lp - lm) / (double)(zp[i] - zm[i]);
            TU_CHECK(tu_close(g[i], fd, 2e-4, 1e-3), "%s CE grad[%d] %.6g vs finite difference %.6g",
                     hpc_isa_name(isas[k]), i, g[i], fd);
        }
    }
    free(buf);
    free(dr);
    free(dk);
    free(yb);
    free(dd);
}

static void test_softmax(hpc_ctx* ref, hpc_ctx** ctxs, hpc_isa* isas, int nisa) {
    float* buf = tu_alloc(3 * 67 * 6 + 16);
    for (int64_t rows = 1; rows <= 3; rows++)
        for (int64_t cols = 1; cols <= 67; cols++) {
            int64_t n = rows * cols;
            float *x = buf + 1, *y = x + n + 1, *dy = y + n + 1, *dx = dy + n + 1, *y2 = dx + n + 1, *dx2 = y2 + n + 1;
            tu_fill(x, n, -10.0f, 10.0f);
            tu_fill(dy, n, -1.0f, 1.0f);
            TU_OK(hpc_softmax_forward(ref, rows, cols, x, y));
            TU_OK(hpc_softmax_backward(ref, rows, cols, y, dy, dx));
            for (int64_t i = 0; i < rows; i++) {
                const float* r = x + i * cols;
                double m = r[0], s = 0, dot = 0;
                for (int64_t j = 1; j < cols; j++) m = r[j] > m ? r[j] : m;
                for (int64_t j = 0; j < cols; j++) s += exp(r[j] - m);
                for (int64_t j = 0; j < cols; j++) dot += exp(r[j] - m) / s * dy[i * cols + j];
                for (int64_t j = 0; j < cols; j++) {
                    double p = exp(r[j] - m) / s;
                    /* Beyond a few roundings, float softmax inherits the rounding of the shifted
                     * logit x - max: a relative error up to |x - max| * 2^-24 in e^(x - max). */
                    double tol = 4e-7 + fabs(r[j] - m) * 6e-8;
                    TU_CHECK(tu_close(y[i * cols + j], p, 1e-30, tol), "scalar softmax %.9g vs %.9g", y[i * cols + j], p);
                    double g = p * (dy[i * cols + j] - dot);
                    TU_CHECK(tu_close(dx[i * cols + j], g, 1e-7, 1e-5), "scalar softmax backward %.9g vs %.9g",
                             dx[i * cols + j], g);
                }
            }
            for (int k = 0; k < nisa; k++) {
                TU_OK(hpc_softmax_forward(ctxs[k], rows, cols, x, y2));
                for (int64_t i = 0; i < n; i++)
                    TU_CHECK(tu_close(y2[i], y[i], 1e-30, 4e-7), "%s softmax %.9g vs %.9g", hpc_isa_name(isas[k]), y2[i],
                             y[i]);
                memcpy(dx2, x, (size_t)n * 4);
                TU_OK(hpc_softmax_forward(ctxs[k], rows, cols, dx2, dx2));
                TU_CHECK(memcmp(dx2, y2, (size_t)n * 4) == 0, "%s softmax in place", hpc_isa_name(isas[k]));
                memcpy(dx2, dy, (size_t)n * 4);
                TU_OK(hpc_softmax_backward(ctxs[k], rows, cols, y, dx2, dx2));
                for (int64_t i = 0; i < n; i++)
                    TU_CHECK(tu_close(dx2[i], dx[i], 1e-7, 1e-5), "%s softmax backward %.9g vs %.9g",
                             hpc_isa_name(isas[k]), dx2[i], dx[i]);
            }
        }
    free(buf);
}

typedef hpc_status (*loss_fn)(hpc_ctx*, int64_t, const float*, const float*, float*, float*);
enum { MSE, SSE, L1, BCE };
static const char* loss_name[] = {"mse", "sse", "l1", "bce"};

static void loss_ref(int kind, int64_t n, const float* p, const float* t, double* loss, double* g) {
    double s = 0;
    for (int64_t i = 0; i < n; i++) {
        double d = (double)p[i] - t[i], z = p[i], sig = 1 / (1 + exp(-z));
        switch (kind) {
        case MSE: s += d * d; g[i] = 2 * d / n; break;
        case SSE: s += d * d / 2; g[i] = d; break;
        case L1: s += fabs(d); g[i] = (d > 0) - (d < 0); g[i] /= n; break;
        case BCE: s += (z > 0 ? z : 0) - z * t[i] + log1p(exp(-fabs(z))); g[i] = (sig - t[i]) / n; break;
        }
    }
    *loss = kind == SSE ? s : s / n;
}

static void test_pointwise(hpc_ctx* ref, hpc_ctx** ctxs, hpc_isa* isas, int nisa) {
    loss_fn fns[] = {hpc_mse_loss, hpc_sse_loss, hpc_l1_loss, hpc_bce_logits_loss};
    const int64_t big = 70001; /* past two 32,768-element chunks, ending mid-vector */
    float* buf = tu_alloc(4 * big + 16);
    double* gd = (double*)malloc((size_t)big * sizeof(double));
    for (int kind = 0; kind < 4; kind++)
        for (int64_t n = 1; n <= 68; n++) {
            int64_t nn = n == 68 ? big : n;
            float *p = buf + 1, *t = p + nn + 1, *g = t + nn + 1, *g2 = g + nn + 1;
            tu_fill(p, nn, -4.0f, 4.0f);
            if (kind == BCE) tu_fill(t, nn, 0.0f, 1.0f);
            else tu_fill(t, nn, -4.0f, 4.0f);
            if (nn > 3) t[2] = p[2]; /* an exact zero difference: sign(0) = 0 for L1 */
            float lr, lk, ln;
            double ldd;
            /* sigmoid(z) - t cancels: its absolute error is a few ulp of 1, over n. */
            double gatol = kind == BCE ? 2.5e-7 / (double)nn : 1e-12;
            TU_OK(fns[kind](ref, nn, p, t, &lr, g));
            loss_ref(kind, nn, p, t, &ldd, gd);
            TU_CHECK(tu_close(lr, ldd, 1e-7, 1e-6), "scalar %s n %lld: %.9g vs %.9g", loss_name[kind], (long long)nn, lr, ldd);
            for (int64_t i = 0; i < nn; i++)
                TU_CHECK(tu_close(g[i], gd[i], gatol, 1e-6), "scalar %s grad[%lld] %.9g vs %.9g", loss_name[kind],
                         (long long)i, g[i], gd[i]);
            for (int k = 0; k < nisa; k++) {
                TU_OK(fns[kind](ctxs[k], nn, p, t, &lk, g2));
                TU_CHECK(tu_close(lk, lr, 1e-7, 1e-6), "%s %s n %lld: %.9g vs %.9g", hpc_isa_name(isas[k]),
                         loss_name[kind], (long long)nn, lk, lr);
                for (int64_t i = 0; i < nn; i++)
                    TU_CHECK(tu_close(g2[i], g[i], gatol, 4e-7), "%s %s grad[%lld] %.9g vs %.9g", hpc_isa_name(isas[k]),
                             loss_name[kind], (long long)i, g2[i], g[i]);
                TU_OK(fns[kind](ctxs[k], nn, p, t, &ln, NULL));
                TU_CHECK(ln == lk, "%s %s without grad", hpc_isa_name(isas[k]), loss_name[kind]);
                memcpy(g2, p, (size_t)nn * 4); /* grad aliasing pred */
                TU_OK(fns[kind](ctxs[k], nn, g2, t, &ln, g2));
                TU_CHECK(ln == lk, "%s %s in place loss", hpc_isa_name(isas[k]), loss_name[kind]);
                for (int64_t i = 0; i < nn; i++)
                    TU_CHECK(tu_close(g2[i], g[i], gatol, 4e-7), "%s %s in place grad", hpc_isa_name(isas[k]),
                             loss_name[kind]);
            }
        }
    /* BCE stays finite for huge logits; seed 004 3.1.1 saturation: a sigmoid unit stuck at
     * a ~ 0 with target 1: the squared-loss gradient through sigma' vanishes, the cross-entropy
     * gradient is a - y. */
    for (int k = 0; k < nisa; k++) {
        float z[4] = {1e30f, -1e30f, 100.0f, -100.0f}, t[4] = {1, 0, 0, 1}, l, g[4];
        TU_OK(hpc_bce_logits_loss(ctxs[k], 4, z, t, &l, g));
        TU_CHECK(tu_close(l, 200.0 / 4, 1e-4, 1e-6), "%s BCE huge logits loss %g", hpc_isa_name(isas[k]), l);
        TU_CHECK(g[0] == 0 && g[1] == 0 && g[2] == 0.25f && g[3] == -0.25f, "%s BCE huge grads %g %g %g %g",
                 hpc_isa_name(isas[k]), g[0], g[1], g[2], g[3]);
        float zz = -5.0f * 2.0f, tt = 1.0f, a, gz, ls, gs;
        TU_OK(hpc_bias_act_forward(ctxs[k], HPC_ACT_SIGMOID, 0, 1, 1, &zz, NULL, &a));
        TU_OK(hpc_bce_logits_loss(ctxs[k], 1, &zz, &tt, &l, &gz));
        TU_CHECK(tu_close(gz, a - tt, 1e-7, 1e-6), "%s CE gradient = a - y: %g vs %g", hpc_isa_name(isas[k]), gz, a - tt);
        TU_OK(hpc_sse_loss(ctxs[k], 1, &a, &tt, &ls, &gs));
        float one = 1.0f, dz;
        TU_OK(hpc_act_backward(ctxs[k], HPC_ACT_SIGMOID, 0, 1, &zz, &a, &gs, &dz));
        (void)one;
        TU_CHECK(fabsf(dz) < 1e-4f && fabsf(gz) > 0.99f, "%s squared-loss gradient vanishes: %g", hpc_isa_name(isas[k]), dz);
    }
    free(buf);
    free(gd);
}

static void test_seed_numbers(hpc_ctx** ctxs, hpc_isa* isas, int nisa) {
    for (int k = 0; k < nisa; k++) {
        float x[3] = {1.5f, -0.9f, 0.6f}, y[3];
        TU_OK(hpc_softmax_forward(ctxs[k], 1, 3, x, y));
        TU_CHECK(tu_close(y[0], 0.667874356, 1e-7, 1e-6) && tu_close(y[1], 0.060588195, 1e-8, 1e-6) &&
                     tu_close(y[2], 0.27153745, 1e-8, 1e-6),
                 "%s softmax(1.5, -0.9, 0.6) = %.9f %.9f %.9f", hpc_isa_name(isas[k]), y[0], y[1], y[2]);
        float x4[4] = {0.6f, 3.4f, -1.2f, 0.05f}, y4[4];
        TU_OK(hpc_softmax_forward(ctxs[k], 1, 4, x4, y4));
        /* Seed 001 Example 6.1 prints (0.06, 0.9, 0.009, 0.031): 0.9 and 0.009 are rounded (half a
         * unit of the last digit), 0.031 is truncated (0.031 <= y < 0.032), 0.06 is 0.055 rounded twice
         * (within 0.0051); and each is exactly the double softmax (next check). */
        TU_CHECK(fabsf(y4[0] - 0.06f) <= 0.0051f && fabsf(y4[1] - 0.9f) <= 0.05f && fabsf(y4[2] - 0.009f) <= 0.0005f &&
                     y4[3] >= 0.031f && y4[3] < 0.032f,
                 "%s softmax(0.6, 3.4, -1.2, 0.05) = %.4f %.4f %.4f %.4f", hpc_isa_name(isas[k]), y4[0], y4[1], y4[2],
                 y4[3]);
        double s4 = exp(0.6) + exp(3.4) + exp(-1.2) + exp(0.05);
        TU_CHECK(tu_close(y4[1], exp(3.4) / s4, 0, 1e-6) && tu_close(y4[2], exp(-1.2) / s4, 0, 1e-6),
                 "%s softmax(0.6, 3.4, -1.2, 0.05) exact", hpc_isa_name(isas[k]));
        /* CE of a 3-class row: -log softmax[label], dlogits = softmax - onehot. */
        int32_t lab = 0;
        float l, d[3];
        TU_OK(hpc_softmax_cross_entropy(ctxs[k], 1, 3, x, 3, &lab, &l, d));
        TU_CHECK(tu_close(l, -log(0.667874356), 1e-7, 1e-6), "%s CE %.9f", hpc_isa_name(isas[k]), l);
        TU_CHECK(tu_close(d[0], 0.667874356 - 1, 1e-7, 1e-6) && tu_close(d[1], 0.060588195, 1e-8, 1e-6),
                 "%s CE deltas %.9f %.9f", hpc_isa_name(isas[k]), d[0], d[1]);
    }
}

static void test_bad_input(hpc_ctx* ctx) {
    float x[6] = {0}, l, d[6];
    int32_t lab[2] = {1, 3};
    TU_CHECK(hpc_softmax_cross_entropy(ctx, 2, 3, x, 3, lab, &l, d) == HPC_STATUS_INVALID_ARGUMENT, "label 3 of 3");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "labels[1] = 3") != NULL, "names the label: %s", hpc_ctx_last_error(ctx));
    lab[1] = -7;
    d[0] = 42.0f;
    TU_CHECK(hpc_softmax_cross_entropy(ctx, 2, 3, x, 3, lab, &l, d) == HPC_STATUS_INVALID_ARGUMENT, "label -7");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "-7") != NULL, "names -7: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(d[0] == 42.0f, "nothing written on a bad label");
    lab[1] = 0;
    TU_CHECK(hpc_softmax_cross_entropy(NULL, 2, 3, x, 3, lab, &l, d) == HPC_STATUS_INVALID_ARGUMENT, "null ctx");
    TU_CHECK(hpc_softmax_cross_entropy(ctx, -1, 3, x, 3, lab, &l, d) == HPC_STATUS_INVALID_ARGUMENT, "batch<0");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "batch = -1") != NULL, "names batch: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_softmax_cross_entropy(ctx, 2, 3, x, 2, lab, &l, d) == HPC_STATUS_INVALID_ARGUMENT, "ld<classes");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "ld = 2") != NULL, "names ld: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_softmax_cross_entropy(ctx, INT64_MAX, 3, x, 3, lab, &l, d) == HPC_STATUS_INVALID_ARGUMENT, "overflow");
    TU_CHECK(hpc_softmax_cross_entropy(ctx, 2, 3, x, 3, NULL, &l, d) == HPC_STATUS_INVALID_ARGUMENT, "null labels");
    TU_CHECK(hpc_softmax_cross_entropy(ctx, 2, 3, NULL, 3, lab, &l, d) == HPC_STATUS_INVALID_ARGUMENT, "null logits");
    TU_CHECK(hpc_softmax_cross_entropy(ctx, 2, 3, x, 3, lab, NULL, d) == HPC_STATUS_INVALID_ARGUMENT, "null loss");
    TU_CHECK(hpc_softmax_cross_entropy(ctx, 2, 0, x, 3, lab, &l, d) == HPC_STATUS_INVALID_ARGUMENT, "0 classes");
    l = 5;
    TU_OK(hpc_softmax_cross_entropy(ctx, 0, 3, NULL, 3, NULL, &l, NULL));
    TU_CHECK(l == 0.0f, "empty batch gives 0");
    TU_CHECK(hpc_softmax_forward(ctx, 2, -3, x, d) == HPC_STATUS_INVALID_ARGUMENT, "cols<0");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "-3") != NULL, "names -3: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_softmax_forward(ctx, INT64_MAX, 2, x, d) == HPC_STATUS_INVALID_ARGUMENT, "overflow");
    TU_CHECK(hpc_softmax_backward(ctx, 1, 2, x, NULL, d) == HPC_STATUS_INVALID_ARGUMENT, "null dy");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "dy is null") != NULL, "names dy: %s", hpc_ctx_last_error(ctx));
    loss_fn fns[] = {hpc_mse_loss, hpc_sse_loss, hpc_l1_loss, hpc_bce_logits_loss};
    for (int k = 0; k < 4; k++) {
        TU_CHECK(fns[k](ctx, -5, x, x, &l, d) == HPC_STATUS_INVALID_ARGUMENT, "%s n<0", loss_name[k]);
        TU_CHECK(strstr(hpc_ctx_last_error(ctx), "-5") != NULL, "names -5: %s", hpc_ctx_last_error(ctx));
        TU_CHECK(fns[k](ctx, 2, x, NULL, &l, d) == HPC_STATUS_INVALID_ARGUMENT, "%s null target", loss_name[k]);
        TU_CHECK(fns[k](ctx, 2, x, x, NULL, d) == HPC_STATUS_INVALID_ARGUMENT, "%s null loss", loss_name[k]);
        TU_CHECK(fns[k](NULL, 2, x, x, &l, d) == HPC_STATUS_INVALID_ARGUMENT, "%s null ctx", loss_name[k]);
        l = 3;
        TU_OK(fns[k](ctx, 0, NULL, NULL, &l, NULL));
        TU_CHECK(l == 0.0f, "%s empty gives 0", loss_name[k]);
    }
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    hpc_isa isas[4];
    hpc_ctx* ctxs[4];
    int nisa = tu_isa_ctxs(isas, ctxs);
    hpc_ctx* ref = tu_ctx(HPC_ISA_SCALAR, 1);
    test_cross_entropy(ref, ctxs, isas, nisa);
    test_softmax(ref, ctxs, isas, nisa);
    test_pointwise(ref, ctxs, isas, nisa);
    test_seed_numbers(ctxs, isas, nisa);
    test_bad_input(ref);
    tu_destroy_ctxs(ctxs, nisa);
    hpc_ctx_destroy(ref);
    return tu_finish("test_loss");
}
