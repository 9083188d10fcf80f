/* Eltwise kernels (bias + activation forward, activation backward, row sums, parametric ReLU):
 * the scalar reference against a double-precision loop, every SIMD path against the scalar
 * reference, on sizes 1..67, unaligned pointers, in place; bad input; the seeds' numbers. */
#include "testutil.h"
#include <float.h>

#define NACT 8
static const char* act_name[NACT] = {"identity", "relu", "sigmoid", "tanh", "step", "arctan", "leaky", "softplus"};

static double act_d(int act, double p, double z) {
    switch (act) {
    case HPC_ACT_IDENTITY: return z;
    case HPC_ACT_RELU: return z > 0 ? z : 0;
    case HPC_ACT_SIGMOID: return 1.0 / (1.0 + exp(-z));
    case HPC_ACT_TANH: return tanh(z);
    case HPC_ACT_STEP: return z >= 0 ? 1 : 0;
    case HPC_ACT_ARCTAN: return atan(z);
    case HPC_ACT_LEAKY_RELU: return z > 0 ? z : p * z;
    case HPC_ACT_SOFTPLUS: return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
    }
    return NAN;
}

/* act'(z) in double, from the input alone. */
static double grad_d(int act, double p, double z) {
    double s = 1.0 / (1.0 + exp(-z)), t = tanh(z);
    switch (act) {
    case HPC_ACT_IDENTITY: return 1;
    case HPC_ACT_RELU: return z > 0 ? 1 : 0;
    case HPC_ACT_SIGMOID: return s * (1 - s);
    case HPC_ACT_TANH: return 1 - t * t;
    case HPC_ACT_STEP: return 0;
    case HPC_ACT_ARCTAN: return 1 / (1 + z * z);
    case HPC_ACT_LEAKY_RELU: return z > 0 ? 1 : p;
    case HPC_ACT_SOFTPLUS: return s;
    }
    return NAN;
}

static const float slope_param = 0.01f;

static void test_forward_backward(hpc_ctx* ref, hpc_ctx** ctxs, hpc_isa* isas, int nisa) {
    const int64_t row_sizes[] = {1, 2, 3, 5};
    float* buf = tu_alloc(5 * 67 * 8 + 64);
    for (int act = 0; act < NACT; act++) {
        float p = act == HPC_ACT_LEAKY_RELU ? slope_param : 0.0f;
        for (int ri = 0; ri < 4; ri++)
            for (int64_t cols = 1; cols <= 67; cols++) {
                int64_t rows = row_sizes[ri], n = rows * cols;
                /* Odd offsets: no pointer is 32- or 64-byte aligned. */
                float* x = buf + 1;
                float* bias = x + n + 3;
                float* y = bias + cols + 1;
                float* yr = y + n + 5;
                float* dy = yr + n + 3;
                float* dx = dy + n + 1;
                float* dxr = dx + n + 1;
                float* tmp = dxr + n + 1;
                tu_fill(x, n, -6.0f, 6.0f);
                tu_fill(bias, cols, -1.0f, 1.0f);
                tu_fill(dy, n, -2.0f, 2.0f);
                const float* b = (cols & 1) ? bias : NULL;
                TU_OK(hpc_bias_act_forward(ref, (hpc_activation)act, p, rows, cols, x, b, yr));
                for (int64_t i = 0; i < n; i++) {
                    float z = x[i] + (b ? b[i % cols] : 0.0f);
                    double d = act_d(act, p, z);
                    TU_CHECK(tu_close(yr[i], d, 1e-30, 3e-7), "scalar %s(%g) = %.9g, double %.9g", act_name[act], z,
                             yr[i], d);
                }
                TU_OK(hpc_act_backward(ref, (hpc_activation)act, p, n, x, yr, dy, dxr));
                for (int64_t i = 0; i < n; i++) {
                    /* x is the input of the activation here (no bias), y its output. */
                    double d = dy[i] * (act == HPC_ACT_SIGMOID || act == HPC_ACT_TANH
                                            ? (act == HPC_ACT_SIGMOID ? (double)yr[i] * (1 - (double)yr[i])
                                                                      : 1 - (double)yr[i] * yr[i])
                                            : grad_d(act, p, x[i]));
                    TU_CHECK(tu_close(dxr[i], d, 1e-6, 1e-6), "scalar %s' dx = %.9g, double %.9g", act_name[act],
                             dxr[i], d);
                }
                for (int k = 0; k < nisa; k++) {
                    TU_OK(hpc_bias_act_forward(ctxs[k], (hpc_activation)act, p, rows, cols, x, b, y));
                    for (int64_t i = 0; i < n; i++)
                        TU_CHECK(tu_close(y[i], yr[i], 1e-30, 4e-7), "%s %s rows %lld cols %lld [%lld]: %.9g vs %.9g",
                                 hpc_isa_name(isas[k]), act_name[act], (long long)rows, (long long)cols, (long long)i,
                                 y[i], yr[i]);
                    /* In place: y aliases x. */
                    memcpy(tmp, x, (size_t)n * sizeof(float));
                    TU_OK(hpc_bias_act_forward(ctxs[k], (hpc_activation)act, p, rows, cols, tmp, b, tmp));
                    TU_CHECK(memcmp(tmp, y, (size_t)n * sizeof(float)) == 0, "%s %s in place", hpc_isa_name(isas[k]),
                             act_name[act]);
                    TU_OK(hpc_act_backward(ctxs[k], (hpc_activation)act, p, n, x, yr, dy, dx));
                    for (int64_t i = 0; i < n; i++)
                        TU_CHECK(tu_close(dx[i], dxr[i], 1e-30, 4e-7), "%s %s' [%lld]: %.9g vs %.9g",
                                 hpc_isa_name(isas[k]), act_name[act], (long long)i, dx[i], dxr[i]);
                    /* dx aliasing dy. */
                    memcpy(tmp, dy, (size_t)n * sizeof(float));
                    TU_OK(hpc_act_backward(ctxs[k], (hpc_activation)act, p, n, x, yr, tmp, tmp));
                    TU_CHECK(memcmp(tmp, dx, (size_t)n * sizeof(float)) == 0, "%s %s' in place", hpc_isa_name(isas[k]),
                             act_name[act]);
                }
            }
    }
    free(buf);
}

static void test_sum_rows(hpc_ctx* ref, hpc_ctx** ctxs, hpc_isa* isas, int nisa) {
    const int64_t row_sizes[] = {0, 1, 2, 7, 64};
    float* x = tu_alloc(64 * 70 + 8);
    float* o = tu_alloc(80);
    float* r = tu_alloc(80);
    for (int ri = 0; ri < 5; ri++)
        for (int64_t cols = 1; cols <= 67; cols++)
            for (int bi = 0; bi < 2; bi++) {
                int64_t rows = row_sizes[ri], ldx = cols + 3;
                float beta = bi ? 0.5f : 0.0f;
                float* xs = x + 1;
                tu_fill(xs, rows * ldx, -1.0f, 1.0f);
                float* rs = r + 1;
                float* os = o + 3;
                tu_fill(rs, cols, -1.0f, 1.0f);
                float init[80];
                memcpy(init, rs, (size_t)cols * sizeof(float));
                if (!bi) for (int64_t j = 0; j < cols; j++) rs[j] = NAN; /* beta = 0 ignores NaN */
                TU_OK(hpc_sum_rows(ref, rows, cols, xs, ldx, beta, rs));
                for (int64_t j = 0; j < cols; j++) {
                    double s = bi ? 0.5 * init[j] : 0.0;
                    for (int64_t i = 0; i < rows; i++) s += xs[i * ldx + j];
                    TU_CHECK(tu_close(rs[j], s, 1e-5, 1e-6), "scalar sum_rows rows %lld col %lld: %g vs %g",
                             (long long)rows, (long long)j, rs[j], s);
                }
                for (int k = 0; k < nisa; k++) {
                    if (bi) memcpy(os, init, (size_t)cols * sizeof(float));
                    else for (int64_t j = 0; j < cols; j++) os[j] = NAN;
                    TU_OK(hpc_sum_rows(ctxs[k], rows, cols, xs, ldx, beta, os));
                    /* Same float additions in the same order: identical results. */
                    TU_CHECK(memcmp(os, rs, (size_t)cols * sizeof(float)) == 0, "%s sum_rows rows %lld cols %lld",
                             hpc_isa_name(isas[k]), (long long)rows, (long long)cols);
                }
            }
    free(x);
    free(o);
    free(r);
}

static void test_prelu(hpc_ctx* ref, hpc_ctx** ctxs, hpc_isa* isas, int nisa) {
    float* buf = tu_alloc(7 * 67 * 6 + 400);
    for (int64_t rows = 1; rows <= 7; rows += 3)
        for (int64_t cols = 1; cols <= 67; cols++) {
            int64_t n = rows * cols;
            float *x = buf + 3, *slope = x + n + 1, *y = slope + cols + 1, *dy = y + n + 1, *dx = dy + n + 1;
            float *dsl = dx + n + 1, *y2 = dsl + cols + 1, *dx2 = y2 + n + 1, *ds2 = dx2 + n + 1;
            tu_fill(x, n, -3.0f, 3.0f);
            tu_fill(slope, cols, -0.5f, 0.5f);
            tu_fill(dy, n, -1.0f, 1.0f);
            TU_OK(hpc_prelu_forward(ref, rows, cols, x, slope, y));
            TU_OK(hpc_prelu_backward(ref, rows, cols, x, slope, dy, dx, dsl));
            for (int64_t j = 0; j < cols; j++) {
                double g = 0;
                for (int64_t i = 0; i < rows; i++) {
                    double z = x[i * cols + j], d = dy[i * cols + j];
                    double yy = z > 0 ? z : slope[j] * z;
                    double gx = z > 0 ? d : slope[j] * d;
                    if (z <= 0) g += d * z;
                    TU_CHECK(tu_close(y[i * cols + j], yy, 0, 1e-7), "prelu y");
                    TU_CHECK(tu_close(dx[i * cols + j], gx, 0, 1e-7), "prelu dx");
                }
                TU_CHECK(tu_close(dsl[j], g, 1e-6, 1e-6), "prelu dslope[%lld] = %g vs %g", (long long)j, dsl[j], g);
            }
            for (int k = 0; k < nisa; k++) {
                TU_OK(hpc_prelu_forward(ctxs[k], rows, cols, x, slope, y2));
                TU_CHECK(memcmp(y2, y, (size_t)n * 4) == 0, "%s prelu forward", hpc_isa_name(isas[k]));
                memcpy(dx2, dy, (size_t)n * 4); /* dx aliasing dy */
                TU_OK(hpc_prelu_backward(ctxs[k], rows, cols, x, slope, dx2, dx2, ds2));
                TU_CHECK(memcmp(dx2, dx, (size_t)n * 4) == 0, "%s prelu dx", hpc_isa_name(isas[k]));
                TU_CHECK(memcmp(ds2, dsl, (size_t)cols * 4) == 0, "%s prelu dslope", hpc_isa_name(isas[k]));
                TU_OK(hpc_prelu_backward(ctxs[k], rows, cols, x, slope, dy, NULL, ds2));
                TU_CHECK(memcmp(ds2, dsl, (size_t)cols * 4) == 0, "%s prelu dslope without dx", hpc_isa_name(isas[k]));
            }
            /* Central differences on the slope of one column: dL/dslope with L = sum dy * y. */
            int64_t j = cols / 2;
            double h = 1e-2, lp = 0, lm = 0;
            for (int64_t i = 0; i < rows; i++) {
                double z = x[i * cols + j], d = dy[i * cols + j];
                lp += d * (z > 0 ? z : (slope[j] + h) * z);
                lm += d * (z > 0 ? z : (slope[j] - h) * z);
            }
            TU_CHECK(tu_close(dsl[j], (lp - lm) / (2 * h), 1e-5, 1e-4), "prelu dslope vs finite difference");
        }
    free(buf);
}

static void test_seed_numbers(hpc_ctx** ctxs, hpc_isa* isas, int nisa) {
    for (int k = 0; k < nisa; k++) {
        /* Seed 001: sigma'(5) = 0.0066 and sigma'(0.1) = 0.249, via y = sigma(x), dx = 1 * sigma'. */
        float x[2] = {5.0f, 0.1f}, y[2], one[2] = {1.0f, 1.0f}, d[2];
        TU_OK(hpc_bias_act_forward(ctxs[k], HPC_ACT_SIGMOID, 0, 1, 2, x, NULL, y));
        TU_OK(hpc_act_backward(ctxs[k], HPC_ACT_SIGMOID, 0, 2, x, y, one, d));
        TU_CHECK(fabs(d[0] - 0.0066) < 5e-5, "%s sigma'(5) = %.6f", hpc_isa_name(isas[k]), d[0]);
        TU_CHECK(fabs(d[1] - 0.249) < 5e-4, "%s sigma'(0.1) = %.6f", hpc_isa_name(isas[k]), d[1]);
        /* Step: 1 at z >= 0 (0 included), 0 below; no gradient. */
        float z[3] = {-1e-20f, 0.0f, 3.0f}, s[3];
        TU_OK(hpc_bias_act_forward(ctxs[k], HPC_ACT_STEP, 0, 1, 3, z, NULL, s));
        TU_CHECK(s[0] == 0 && s[1] == 1 && s[2] == 1, "%s step", hpc_isa_name(isas[k]));
        float g[3] = {INFINITY, 1, 1};
        TU_OK(hpc_act_backward(ctxs[k], HPC_ACT_STEP, 0, 3, z, s, g, g));
        TU_CHECK(g[0] == 0 && g[1] == 0 && g[2] == 0, "%s step gradient is 0", hpc_isa_name(isas[k]));
        /* Seed 002 eq. 49-50: dE/dlambda = dE/da * (z if z <= 0 else 0), summed over the batch. */
        float pz[4] = {-2.0f, 3.0f, -0.5f, 1.0f}, lam[2] = {0.25f, 0.1f}, pda[4] = {0.5f, 0.7f, 2.0f, 4.0f};
        float pdx[4], pdl[2];
        TU_OK(hpc_prelu_backward(ctxs[k], 2, 2, pz, lam, pda, pdx, pdl));
        TU_CHECK(pdl[0] == -2.0f && pdl[1] == 0.0f, "%s prelu dlambda %g %g", hpc_isa_name(isas[k]), pdl[0], pdl[1]);
        TU_CHECK(pdx[0] == 0.125f && pdx[1] == 0.7f && pdx[2] == 0.5f && pdx[3] == 4.0f, "%s prelu dz (eq. 48)",
                 hpc_isa_name(isas[k]));
        /* Leaky ReLU with the default slope. */
        float l[2] = {-2.0f, 2.0f}, lo[2];
        TU_OK(hpc_bias_act_forward(ctxs[k], HPC_ACT_LEAKY_RELU, 0.01f, 1, 2, l, NULL, lo));
        TU_CHECK(lo[0] == -0.02f && lo[1] == 2.0f, "%s leaky relu %g %g", hpc_isa_name(isas[k]), lo[0], lo[1]);
    }
}

static void test_bad_input(hpc_ctx* ctx) {
    float x[4] = {0}, y[4];
    TU_CHECK(hpc_bias_act_forward(NULL, HPC_ACT_RELU, 0, 1, 1, x, NULL, y) == HPC_STATUS_INVALID_ARGUMENT, "null ctx");
    TU_CHECK(strstr(hpc_last_error(), "ctx") != NULL, "null ctx message: %s", hpc_last_error());
    TU_CHECK(hpc_bias_act_forward(ctx, (hpc_activation)99, 0, 1, 1, x, NULL, y) == HPC_STATUS_INVALID_ARGUMENT,
             "unknown act");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "99") != NULL, "names the act: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_act_backward(ctx, (hpc_activation)-1, 0, 1, x, x, x, y) == HPC_STATUS_INVALID_ARGUMENT, "act -1");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "-1") != NULL, "names -1: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_bias_act_forward(ctx, HPC_ACT_LEAKY_RELU, NAN, 1, 1, x, NULL, y) == HPC_STATUS_INVALID_ARGUMENT,
             "NaN slope");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "nan") != NULL, "names nan: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_bias_act_forward(ctx, HPC_ACT_RELU, 0, -2, 1, x, NULL, y) == HPC_STATUS_INVALID_ARGUMENT, "rows<0");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "-2") != NULL, "names -2: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_bias_act_forward(ctx, HPC_ACT_RELU, 0, INT64_MAX / 2, 3, x, NULL, y) == HPC_STATUS_INVALID_ARGUMENT,
             "overflow");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "overflow") != NULL, "overflow message: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_bias_act_forward(ctx, HPC_ACT_RELU, 0, 1, 1, NULL, NULL, y) == HPC_STATUS_INVALID_ARGUMENT, "null x");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "x is null") != NULL, "null x message: %s", hpc_ctx_last_error(ctx));
    TU_OK(hpc_bias_act_forward(ctx, HPC_ACT_RELU, 0, 0, 5, NULL, NULL, NULL)); /* empty is a no-op */
    TU_CHECK(hpc_act_backward(ctx, HPC_ACT_TANH, 0, 2, x, NULL, x, y) == HPC_STATUS_INVALID_ARGUMENT, "null y");
    TU_CHECK(hpc_act_backward(ctx, HPC_ACT_TANH, 0, -1, x, x, x, y) == HPC_STATUS_INVALID_ARGUMENT, "n<0");
    TU_CHECK(hpc_sum_rows(ctx, 2, 3, x, 2, 0, y) == HPC_STATUS_INVALID_ARGUMENT, "ldx < cols");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "ldx = 2") != NULL, "ldx message: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_sum_rows(ctx, INT64_MAX, 3, x, INT64_MAX / 2, 0, y) == HPC_STATUS_INVALID_ARGUMENT, "sum overflow");
    TU_CHECK(hpc_sum_rows(ctx, 1, 1, x, 1, INFINITY, y) == HPC_STATUS_INVALID_ARGUMENT, "inf beta");
    TU_CHECK(hpc_sum_rows(ctx, 1, 1, x, 1, 0, NULL) == HPC_STATUS_INVALID_ARGUMENT, "null out");
    TU_CHECK(hpc_prelu_forward(ctx, 1, 2, x, NULL, y) == HPC_STATUS_INVALID_ARGUMENT, "null slope");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "slope") != NULL, "slope message: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_prelu_backward(ctx, 1, -3, x, x, x, y, y) == HPC_STATUS_INVALID_ARGUMENT, "cols<0");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "-3") != NULL, "names -3: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_prelu_backward(ctx, 1, 2, x, x, x, y, NULL) == HPC_STATUS_INVALID_ARGUMENT, "null dslope");
    /* A good call after a failure clears the message. */
    TU_OK(hpc_bias_act_forward(ctx, HPC_ACT_RELU, 0, 1, 1, x, NULL, y));
    TU_CHECK(hpc_ctx_last_error(ctx)[0] == '\0', "message cleared");
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    hpc_isa isas[4];
    hpc_ctx* ctxs[4];
    int nisa = tu_isa_ctxs(isas, ctxs);
    hpc_ctx* ref = tu_ctx(HPC_ISA_SCALAR, 1);
    test_forward_backward(ref, ctxs, isas, nisa);
    test_sum_rows(ref, ctxs, isas, nisa);
    test_prelu(ref, ctxs, isas, nisa);
    test_seed_numbers(ctxs, isas, nisa);
    test_bad_input(ref);
    tu_destroy_ctxs(ctxs, nisa);
    hpc_ctx_destroy(ref);
    return tu_finish("test_eltwise");
}
