/* Gradient clipping kernels: hpc_sum_squares, hpc_scale, hpc_clip_by_value on every ISA path
 * against the scalar reference and a double loop, clipping by global norm across tensors, and
 * bad input. */
#include "testutil.h"

static void paths(void) {
    hpc_isa isas[4];
    int ni = tu_isas(isas);
    hpc_ctx* scalar = tu_ctx(HPC_ISA_SCALAR, 1);
    printf("test_optim_clip: paths run:");
    for (int k = 0; k < ni; k++) printf(" %s", hpc_isa_name(isas[k]));
    printf("\n");
    const int64_t big = 1000003;
    float* buf = tu_alloc(big + 3);
    float* xs = tu_alloc(big + 3);
    float* xp = tu_alloc(big + 3);
    for (int k = 0; k < ni; k++) {
        hpc_ctx* path = tu_ctx(isas[k], 1);
        const char* p = hpc_isa_name(isas[k]);
        for (int64_t n = 1; n <= 68; n++) {
            int64_t len = n == 68 ? big : n;
            float* x = buf + 1; /* misaligned */
            tu_fill(x, len, -2.0f, 2.0f);

            double ss = -1, sp = -1, sd = 0;
            for (int64_t i = 0; i < len; i++) sd += (double)x[i] * x[i];
            TU_OK(hpc_sum_squares(scalar, len, x, &ss));
            TU_OK(hpc_sum_squares(path, len, x, &sp));
            /* Each x^2 is exact in double; only the summation order differs. */
            TU_CHECK(tu_close(ss, sd, 0, 1e-11) && tu_close(sp, sd, 0, 1e-11), "[%s] sum_squares n=%lld: %.17g %.17g %.17g",
                     p, (long long)len, ss, sp, sd);

            /* Sentinels one past each end catch masked tails that write too far. */
            float* a = xs + 1;
            float* b = xp + 1;
            a[-1] = b[-1] = a[len] = b[len] = 77.0f;
            memcpy(a, x, sizeof(float) * (size_t)len);
            memcpy(b, x, sizeof(float) * (size_t)len);
            TU_OK(hpc_scale(scalar, len, -0.37f, a));
            TU_OK(hpc_scale(path, len, -0.37f, b));
            int ok = 1;
            for (int64_t i = 0; i < len; i++) ok &= a[i] == b[i] && a[i] == (float)(x[i] * -0.37f);
            TU_CHECK(ok && b[-1] == 77.0f && b[len] == 77.0f, "[%s] scale n=%lld", p, (long long)len);

            memcpy(a, x, sizeof(float) * (size_t)len);
            memcpy(b, x, sizeof(float) * (size_t)len);
            TU_OK(hpc_clip_by_value(scalar, len, -0.5f, 1.25f, a));
            TU_OK(hpc_clip_by_value(path, len, -0.5f, 1.25f, b));
            ok = 1;
            for (int64_t i = 0; i < len; i++) {
                float want = x[i] < -0.5f ? -0.5f : x[i] > 1.25f ? 1.25f : x[i];
                ok &= a[i] == want && b[i] == want;
            }
            TU_CHECK(ok && b[-1] == 77.0f && b[len] == 77.0f, "[%s] clip n=%lld", p, (long long)len);
        }

        /* NaN survives clipping and scaling (a diverged gradient must stay visible); infinities clip. */
        float s[5] = {NAN, INFINITY, -INFINITY, 0.25f, -0.0f};
        TU_OK(hpc_clip_by_value(path, 5, -1.0f, 1.0f, s));
        TU_CHECK(isnan(s[0]) && s[1] == 1.0f && s[2] == -1.0f && s[3] == 0.25f && s[4] == 0.0f,
                 "[%s] clip specials: %g %g %g %g %g", p, s[0], s[1], s[2], s[3], s[4]);
        float t[3] = {NAN, 2.0f, -4.0f};
        TU_OK(hpc_scale(path, 3, 0.5f, t));
        TU_CHECK(isnan(t[0]) && t[1] == 1.0f && t[2] == -2.0f, "[%s] scale specials", p);
        double inf_ss = 0;
        float u[2] = {3.0f, INFINITY};
        TU_OK(hpc_sum_squares(path, 2, u, &inf_ss));
        TU_CHECK(isinf(inf_ss), "[%s] sum_squares of inf is inf: %g", p, inf_ss);

        /* Clipping by global norm across two tensors: |[3, 4]|^2 + |[12]|^2 = 169, norm 13; with
         * max_norm 6.5 every gradient is scaled by 0.5. */
        float g1[2] = {3.0f, 4.0f}, g2[1] = {12.0f};
        double s1 = 0, s2 = 0;
        TU_OK(hpc_sum_squares(path, 2, g1, &s1));
        TU_OK(hpc_sum_squares(path, 1, g2, &s2));
        double norm = sqrt(s1 + s2);
        TU_CHECK(norm == 13.0, "[%s] global norm %g", p, norm);
        TU_OK(hpc_scale(path, 2, (float)(6.5 / norm), g1));
        TU_OK(hpc_scale(path, 1, (float)(6.5 / norm), g2));
        TU_CHECK(g1[0] == 1.5f && g1[1] == 2.0f && g2[0] == 6.0f, "[%s] clipped: %g %g %g", p, g1[0], g1[1], g2[0]);
        hpc_ctx_destroy(path);
    }
    free(buf), free(xs), free(xp);
    hpc_ctx_destroy(scalar);
}

static void bad_input(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    float x[4] = {1, 2, 3, 4};
    double out = 0;
#define BAD(call_, frag)                                                                                      \
    TU_CHECK((call_) == HPC_STATUS_INVALID_ARGUMENT && strstr(hpc_ctx_last_error(ctx), frag), "%s: \"%s\"", #call_, \
             hpc_ctx_last_error(ctx))
    TU_CHECK(hpc_sum_squares(NULL, 4, x, &out) == HPC_STATUS_INVALID_ARGUMENT, "null ctx");
    BAD(hpc_sum_squares(ctx, -2, x, &out), "n = -2");
    BAD(hpc_sum_squares(ctx, 4, NULL, &out), "x is null");
    BAD(hpc_sum_squares(ctx, 4, x, NULL), "out is null");
    BAD(hpc_scale(ctx, -1, 2.0f, x), "n = -1");
    BAD(hpc_scale(ctx, 4, NAN, x), "alpha = nan");
    BAD(hpc_scale(ctx, 4, INFINITY, x), "alpha = inf");
    BAD(hpc_scale(ctx, 4, 2.0f, NULL), "x is null");
    BAD(hpc_clip_by_value(ctx, 4, 1.0f, -1.0f, x), "lo = 1 is greater than hi = -1");
    BAD(hpc_clip_by_value(ctx, 4, NAN, 1.0f, x), "lo is NaN");
    BAD(hpc_clip_by_value(ctx, 4, -1.0f, NAN, x), "hi is NaN");
    BAD(hpc_clip_by_value(ctx, 4, -1.0f, 1.0f, NULL), "x is null");
    BAD(hpc_clip_by_value(ctx, -7, -1.0f, 1.0f, x), "n = -7");
#undef BAD
    TU_CHECK(x[0] == 1 && x[3] == 4, "no change on bad input");
    /* n = 0 is a no-op that accepts null data; infinite bounds are valid. */
    out = 5;
    TU_OK(hpc_sum_squares(ctx, 0, NULL, &out));
    TU_CHECK(out == 0.0, "empty sum is 0");
    TU_OK(hpc_scale(ctx, 0, 2.0f, NULL));
    TU_OK(hpc_clip_by_value(ctx, 0, -1.0f, 1.0f, NULL));
    TU_OK(hpc_clip_by_value(ctx, 4, -INFINITY, 2.5f, x));
    TU_CHECK(x[0] == 1 && x[2] == 2.5f && x[3] == 2.5f, "one-sided clip");
    hpc_ctx_destroy(ctx);
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    tu_seed(7);
    bad_input();
    paths();
    return tu_finish("test_optim_clip");
}
