/* Random family: Philox known answers, every path bit-identical to the scalar reference (any
 * offset, split calls), moments of uniform and normal fills on 1e6 samples, dropout keep
 * fraction and scaling, bad input. */
#include "testutil.h"
#include "random/random_internal.h"

static void test_known_answers(void) {
    /* Random123 kat_vectors for philox4x32-10. */
    const uint32_t ctr[3][4] = {{0, 0, 0, 0},
                                {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
                                {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}};
    const uint32_t key[3][2] = {{0, 0}, {0xffffffffu, 0xffffffffu}, {0xa4093822u, 0x299f31d0u}};
    const uint32_t want[3][4] = {{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u},
                                 {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu},
                                 {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}};
    for (int t = 0; t < 3; t++) {
        uint32_t out[4];
        hpc_philox4x32(ctr[t], key[t], out);
        TU_CHECK(memcmp(out, want[t], sizeof out) == 0, "philox KAT %d: %08x %08x %08x %08x", t, out[0], out[1], out[2],
                 out[3]);
    }
}

static void test_paths(hpc_ctx* ref, hpc_ctx** ctxs, hpc_isa* isas, int nisa) {
    const uint64_t offsets[] = {0, 1, 63, 64, 65, 1000003, UINT64_MAX - 100};
    int64_t sizes[70];
    for (int i = 0; i < 67; i++) sizes[i] = i + 1;
    sizes[67] = 129, sizes[68] = 200, sizes[69] = 1000;
    float* a = tu_alloc(1100);
    float* b = tu_alloc(1100);
    float* x = tu_alloc(1100);
    float* ma = tu_alloc(1100);
    float* mb = tu_alloc(1100);
    tu_fill(x, 1100, -3.0f, 3.0f);
    for (size_t oi = 0; oi < sizeof offsets / sizeof *offsets; oi++)
        for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
            uint64_t off = offsets[oi], seed = 0x1234567890abcdefull + oi;
            int64_t n = sizes[si];
            float *ra = a + 1, *rb = b + 3;
            TU_OK(hpc_rng_uniform(ref, seed, off, n, -2.0f, 5.0f, ra));
            for (int64_t i = 0; i < n; i++) {
                double u = (hpc_rng_word(seed, off + (uint64_t)i) >> 8) / 16777216.0;
                TU_CHECK(tu_close(ra[i], -2.0 + 7.0 * u, 1e-6, 0) && ra[i] >= -2.0f && ra[i] <= 5.0f, "uniform value");
            }
            for (int k = 0; k < nisa; k++) {
                TU_OK(hpc_rng_uniform(ctxs[k], seed, off, n, -2.0f, 5.0f, rb));
                TU_CHECK(memcmp(ra, rb, (size_t)n * 4) == 0, "%s uniform offset %llu n %lld", hpc_isa_name(isas[k]),
                         (unsigned long long)off, (long long)n);
                /* A call split in two at any point gives the same stream. */
                int64_t cut = n / 3;
                TU_OK(hpc_rng_uniform(ctxs[k], seed, off, cut, -2.0f, 5.0f, rb));
                TU_OK(hpc_rng_uniform(ctxs[k], seed, off + (uint64_t)cut, n - cut, -2.0f, 5.0f, rb + cut));
                TU_CHECK(memcmp(ra, rb, (size_t)n * 4) == 0, "%s uniform split", hpc_isa_name(isas[k]));
            }
            float keep = 0.7f;
            TU_OK(hpc_dropout_forward(ref, seed, off, n, keep, x + 1, ma + 1, ra));
            for (int64_t i = 0; i < n; i++) {
                float m = ma[1 + i];
                TU_CHECK(m == 0.0f || m == 1.0f / keep, "mask is 0 or 1/keep: %g", m);
                TU_CHECK(ra[i] == x[1 + i] * m, "y = x * mask");
            }
            for (int k = 0; k < nisa; k++) {
                TU_OK(hpc_dropout_forward(ctxs[k], seed, off, n, keep, x + 1, mb + 1, rb));
                TU_CHECK(memcmp(ma + 1, mb + 1, (size_t)n * 4) == 0 && memcmp(ra, rb, (size_t)n * 4) == 0,
                         "%s dropout offset %llu n %lld", hpc_isa_name(isas[k]), (unsigned long long)off, (long long)n);
                /* Without a mask, and in place. */
                memcpy(rb, x + 1, (size_t)n * 4);
                TU_OK(hpc_dropout_forward(ctxs[k], seed, off, n, keep, rb, NULL, rb));
                TU_CHECK(memcmp(ra, rb, (size_t)n * 4) == 0, "%s dropout in place", hpc_isa_name(isas[k]));
                /* Backward: dx = dy * mask, dx aliasing dy. */
                memcpy(rb, x + 1, (size_t)n * 4);
                TU_OK(hpc_dropout_backward(ctxs[k], n, mb + 1, rb, rb));
                TU_CHECK(memcmp(ra, rb, (size_t)n * 4) == 0, "%s dropout backward", hpc_isa_name(isas[k]));
            }
            TU_OK(hpc_rng_normal(ref, seed, off, n, 1.0f, 2.0f, ra));
            for (int k = 0; k < nisa; k++) {
                TU_OK(hpc_rng_normal(ctxs[k], seed, off, n, 1.0f, 2.0f, rb));
                TU_CHECK(memcmp(ra, rb, (size_t)n * 4) == 0, "%s normal", hpc_isa_name(isas[k]));
            }
        }
    /* Different seeds give different streams. */
    TU_OK(hpc_rng_uniform(ref, 1, 0, 64, 0, 1, a));
    TU_OK(hpc_rng_uniform(ref, 2, 0, 64, 0, 1, b));
    int same = 0;
    for (int i = 0; i < 64; i++) same += a[i] == b[i];
    TU_CHECK(same < 4, "seeds 1 and 2 share %d of 64 values", same);
    free(a);
    free(b);
    free(x);
    free(ma);
    free(mb);
}

static void moments(const float* v, int64_t n, double* mean, double* var, double* kurt) {
    double s = 0, s2 = 0, s4 = 0;
    for (int64_t i = 0; i < n; i++) s += v[i];
    *mean = s / n;
    for (int64_t i = 0; i < n; i++) {
        double d = v[i] - *mean;
        s2 += d * d;
        s4 += d * d * d * d;
    }
    *var = s2 / n;
    *kurt = s4 / n / (*var * *var);
}

static void test_moments(hpc_ctx** ctxs, hpc_isa* isas, int nisa) {
    const int64_t n = 1000000;
    float* v = tu_alloc(n);
    float* x = tu_alloc(n);
    float* m = tu_alloc(n);
    for (int k = 0; k < nisa; k++) {
        double mean, var, kurt;
        /* Uniform on [-1, 3): mean 1, variance 16/12, kurtosis 1.8; standard errors ~1e-3. */
        TU_OK(hpc_rng_uniform(ctxs[k], 42, 7, n, -1.0f, 3.0f, v));
        moments(v, n, &mean, &var, &kurt);
        TU_CHECK(fabs(mean - 1.0) < 0.006 && fabs(var - 16.0 / 12) < 0.01 && fabs(kurt - 1.8) < 0.01,
                 "%s uniform moments %g %g %g", hpc_isa_name(isas[k]), mean, var, kurt);
        /* Normal(0.5, 2): kurtosis 3. */
        TU_OK(hpc_rng_normal(ctxs[k], 43, 0, n, 0.5f, 2.0f, v));
        moments(v, n, &mean, &var, &kurt);
        TU_CHECK(fabs(mean - 0.5) < 0.01 && fabs(var - 4.0) < 0.04 && fabs(kurt - 3.0) < 0.04,
                 "%s normal moments %g %g %g", hpc_isa_name(isas[k]), mean, var, kurt);
        int64_t within1 = 0;
        for (int64_t i = 0; i < n; i++) within1 += fabs(v[i] - 0.5) < 2.0;
        TU_CHECK(fabs(within1 / (double)n - 0.682689) < 0.003, "%s normal one-sigma mass %g", hpc_isa_name(isas[k]),
                 within1 / (double)n);
        /* Dropout with rho = 0.8 keeps 80% (sd 4e-4) and preserves the mean of x in expectation. */
        for (int64_t i = 0; i < n; i++) x[i] = 1.0f;
        TU_OK(hpc_dropout_forward(ctxs[k], 44, 0, n, 0.8f, x, m, v));
        int64_t kept = 0;
        double sum = 0;
        for (int64_t i = 0; i < n; i++) {
            kept += m[i] != 0.0f;
            sum += v[i];
        }
        TU_CHECK(fabs(kept / (double)n - 0.8) < 0.002, "%s dropout keeps %g", hpc_isa_name(isas[k]), kept / (double)n);
        TU_CHECK(fabs(sum / n - 1.0) < 0.003, "%s inverted dropout preserves the mean: %g", hpc_isa_name(isas[k]),
                 sum / n);
        TU_OK(hpc_dropout_forward(ctxs[k], 44, 0, 1000, 1.0f, x, m, v));
        int all = 1;
        for (int i = 0; i < 1000; i++) all &= m[i] == 1.0f && v[i] == 1.0f;
        TU_CHECK(all, "%s keep_prob = 1 keeps everything", hpc_isa_name(isas[k]));
    }
    free(v);
    free(x);
    free(m);
}

static void test_bad_input(hpc_ctx* ctx) {
    float x[4] = {0}, y[4], m[4];
    const float bad_keep[] = {0.0f, -0.1f, 1.5f, NAN};
    const char* names[] = {"keep_prob = 0", "keep_prob = -0.1", "keep_prob = 1.5", "keep_prob = nan"};
    for (int i = 0; i < 4; i++) {
        TU_CHECK(hpc_dropout_forward(ctx, 1, 0, 4, bad_keep[i], x, m, y) == HPC_STATUS_INVALID_ARGUMENT, "keep %g",
                 bad_keep[i]);
        TU_CHECK(strstr(hpc_ctx_last_error(ctx), names[i]) != NULL, "names it: %s", hpc_ctx_last_error(ctx));
    }
    TU_CHECK(hpc_dropout_forward(NULL, 1, 0, 4, 0.5f, x, m, y) == HPC_STATUS_INVALID_ARGUMENT, "null ctx");
    TU_CHECK(hpc_dropout_forward(ctx, 1, 0, -4, 0.5f, x, m, y) == HPC_STATUS_INVALID_ARGUMENT, "n<0");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "-4") != NULL, "names -4: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_dropout_forward(ctx, 1, 0, 4, 0.5f, NULL, m, y) == HPC_STATUS_INVALID_ARGUMENT, "null x");
    TU_CHECK(hpc_dropout_backward(ctx, 4, NULL, x, y) == HPC_STATUS_INVALID_ARGUMENT, "null mask");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "mask") != NULL, "names mask: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_rng_uniform(ctx, 1, 0, 4, 2.0f, 1.0f, y) == HPC_STATUS_INVALID_ARGUMENT, "lo > hi");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "[2, 1)") != NULL, "names the interval: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_rng_uniform(ctx, 1, 0, 4, -3e38f, 3e38f, y) == HPC_STATUS_INVALID_ARGUMENT, "infinite width");
    TU_CHECK(hpc_rng_uniform(ctx, 1, 0, 4, NAN, 1.0f, y) == HPC_STATUS_INVALID_ARGUMENT, "NaN lo");
    TU_CHECK(hpc_rng_uniform(ctx, 1, 0, 4, 0.0f, 1.0f, NULL) == HPC_STATUS_INVALID_ARGUMENT, "null out");
    TU_CHECK(hpc_rng_normal(ctx, 1, 0, 4, 0.0f, -1.0f, y) == HPC_STATUS_INVALID_ARGUMENT, "std < 0");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "std = -1") != NULL, "names std: %s", hpc_ctx_last_error(ctx));
    TU_CHECK(hpc_rng_normal(ctx, 1, 0, 4, INFINITY, 1.0f, y) == HPC_STATUS_INVALID_ARGUMENT, "inf mean");
    TU_OK(hpc_rng_normal(ctx, 1, 0, 0, 0.0f, 1.0f, NULL));
    TU_OK(hpc_rng_uniform(ctx, 1, 0, 4, 1.0f, 1.0f, y)); /* a point interval is allowed */
    TU_CHECK(y[0] == 1.0f && y[3] == 1.0f, "lo == hi gives lo");
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    hpc_isa isas[4];
    hpc_ctx* ctxs[4];
    int nisa = tu_isa_ctxs(isas, ctxs);
    hpc_ctx* ref = tu_ctx(HPC_ISA_SCALAR, 1);
    test_known_answers();
    test_paths(ref, ctxs, isas, nisa);
    test_moments(ctxs, isas, nisa);
    test_bad_input(ref);
    tu_destroy_ctxs(ctxs, nisa);
    hpc_ctx_destroy(ref);
    return tu_finish("test_random");
}
