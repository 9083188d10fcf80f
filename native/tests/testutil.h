/* Minimal C test harness shared by the CTest executables: checks, RNG, ISA iteration. */
#ifndef HPC_TESTUTIL_H
#define HPC_TESTUTIL_H

#include "hpcnn.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tu_failures;
static long tu_checks;

#define TU_CHECK(cond, ...)                                                      \
    do {                                                                         \
        tu_checks++;                                                             \
        if (!(cond)) {                                                           \
            if (tu_failures++ < 20) {                                            \
                fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
                fprintf(stderr, __VA_ARGS__);                                    \
                fprintf(stderr, "\n");                                           \
            }                                                                    \
        }                                                                        \
    } while (0)

#define TU_OK(call) TU_CHECK((call) == HPC_STATUS_OK, "%s", #call)

static inline int tu_finish(const char* name) {
    printf("%s: %ld checks, %d failed\n", name, tu_checks, tu_failures);
    return tu_failures ? 1 : 0;
}

/* xorshift64*: deterministic, fast, seedable. */
static uint64_t tu_rng_state = 0x9E3779B97F4A7C15ull;
static inline void tu_seed(uint64_t s) { tu_rng_state = s ? s : 1; }
static inline uint64_t tu_next(void) {
    tu_rng_state ^= tu_rng_state >> 12;
    tu_rng_state ^= tu_rng_state << 25;
    tu_rng_state ^= tu_rng_state >> 27;
    return tu_rng_state * 0x2545F4914F6CDD1Dull;
}
/* Uniform in [lo, hi). */
static inline float tu_uniform(float lo, float hi) {
    return lo + (hi - lo) * (float)((tu_next() >> 40) * (1.0 / 16777216.0));
}
static inline void tu_fill(float* x, int64_t n, float lo, float hi) {
    for (int64_t i = 0; i < n; i++) x[i] = tu_uniform(lo, hi);
}
static inline float* tu_alloc(int64_t n) {
    float* p = (float*)malloc((size_t)(n > 0 ? n : 1) * sizeof(float));
    if (!p) { fprintf(stderr, "out of memory\n"); exit(2); }
    return p;
}

/* |a - b| <= atol + rtol * |b|, NaN never close. */
static inline int tu_close(double a, double b, double atol, double rtol) {
    if (isnan(a) || isnan(b)) return 0;
    return fabs(a - b) <= atol + rtol * fabs(b);
}

/* The native SIMD paths this CPU supports (scalar, avx2, avx512), for "every path" loops. */
static inline int tu_isas(hpc_isa* out) {
    static const hpc_isa all[] = {HPC_ISA_SCALAR, HPC_ISA_AVX2, HPC_ISA_AVX512, HPC_ISA_OPENBLAS};
    int n = 0;
    for (int i = 0; i < 4; i++) {
        int32_t ok = 0;
        hpc_isa_supported(all[i], &ok);
        if (ok) out[n++] = all[i];
    }
    return n;
}

/* Prints "SKIP <path>" for each SIMD path this CPU lacks, so a suite that loops over tu_isas says
   which paths it did not run instead of passing silently without them. */
static inline void tu_report_skipped_paths(void) {
    static const hpc_isa simd[] = {HPC_ISA_AVX2, HPC_ISA_AVX512};
    for (int i = 0; i < 2; i++) {
        int32_t ok = 0;
        hpc_isa_supported(simd[i], &ok);
        if (!ok) printf("SKIP %s (not supported by this CPU)\n", hpc_isa_name(simd[i]));
    }
}

static inline hpc_ctx* tu_ctx(hpc_isa isa, int32_t threads) {
    hpc_ctx* ctx = NULL;
    if (hpc_ctx_create(&ctx) != HPC_STATUS_OK || hpc_ctx_set_isa(ctx, isa) != HPC_STATUS_OK ||
        hpc_ctx_set_threads(ctx, threads) != HPC_STATUS_OK) {
        fprintf(stderr, "cannot create context for %s: %s\n", hpc_isa_name(isa), hpc_last_error());
        exit(2);
    }
    return ctx;
}

/* One single-threaded context per path this CPU supports (isas and ctxs hold 4), for the tests that
   compare every path with the scalar reference; returns how many. Free them with tu_destroy_ctxs. */
static inline int tu_isa_ctxs(hpc_isa* isas, hpc_ctx** ctxs) {
    int n = tu_isas(isas);
    for (int k = 0; k < n; k++) ctxs[k] = tu_ctx(isas[k], 1);
    return n;
}
static inline void tu_destroy_ctxs(hpc_ctx** ctxs, int n) {
    for (int k = 0; k < n; k++) hpc_ctx_destroy(ctxs[k]);
}

/* A call that must fail with HPC_STATUS_INVALID_ARGUMENT and leave a message naming `needle` (the
   bad value or argument), so a caller can tell from the message alone what it got wrong. */
#define tu_expect_invalid(ctx, st, what, needle) tu_expect_invalid_at((ctx), (st), (what), (needle), __LINE__)
static inline void tu_expect_invalid_at(hpc_ctx* ctx, hpc_status st, const char* what, const char* needle, int line) {
    TU_CHECK(st == HPC_STATUS_INVALID_ARGUMENT, "line %d: %s: status %s", line, what, hpc_status_name(st));
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), needle) != NULL, "line %d: %s: message '%s' lacks '%s'", line, what,
             hpc_ctx_last_error(ctx), needle);
}

#endif
