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

/* ISA paths. A test program runs every path this machine has, or, given `--isa NAME` (how CTest
 * runs it: one entry per path), only that path beside the scalar reference. A path the machine lacks
 * is never replaced by another: it is printed as "SKIP <path>", and under `--isa NAME` the program
 * exits with TU_SKIP_CODE, which CTest (SKIP_RETURN_CODE) reports as skipped, not passed. */
#define TU_SKIP_CODE 77
static const hpc_isa tu_all_isas[] = {HPC_ISA_SCALAR, HPC_ISA_AVX2, HPC_ISA_AVX512, HPC_ISA_OPENBLAS};
static int tu_only_set;    /* --isa given */
static hpc_isa tu_only;    /* the path it named */
static unsigned tu_skip_reported; /* bit per path already reported as skipped */

static inline int tu_supported(hpc_isa isa) {
    int32_t ok = 0;
    return hpc_isa_supported(isa, &ok) == HPC_STATUS_OK && ok;
}

/* Whether the test should exercise `isa`: selected (every path, or the --isa one or the scalar
 * reference) and present on this machine. A selected but missing path is reported once as SKIP. */
static inline int tu_wants(hpc_isa isa) {
    if (tu_only_set && isa != tu_only && isa != HPC_ISA_SCALAR) return 0;
    if (tu_supported(isa)) return 1;
    if (!(tu_skip_reported & (1u << (unsigned)isa))) {
        tu_skip_reported |= 1u << (unsigned)isa;
        printf("SKIP %s: this machine does not have the path\n", hpc_isa_name(isa));
    }
    return 0;
}

/* Reads `--isa NAME`; exits with TU_SKIP_CODE at once when the machine lacks that path. Call first in main. */
static inline void tu_init(int argc, char** argv) {
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--isa") != 0 || i + 1 >= argc) {
            fprintf(stderr, "usage: %s [--isa scalar|avx2|avx512|openblas]\n", argv[0]);
            exit(2);
        }
        const char* name = argv[++i];
        int found = 0;
        for (int k = 0; k < 4; k++)
            if (strcmp(hpc_isa_name(tu_all_isas[k]), name) == 0) tu_only = tu_all_isas[k], found = 1;
        if (!found) {
            fprintf(stderr, "%s: unknown path '%s'\n", argv[0], name);
            exit(2);
        }
        tu_only_set = 1;
        if (!tu_supported(tu_only)) {
            printf("SKIP %s: this machine does not have the path\n", name);
            exit(TU_SKIP_CODE);
        }
    }
}

/* The paths to test (scalar first, as the reference), per tu_wants; returns how many. */
static inline int tu_isas(hpc_isa* out) {
    int n = 0;
    for (int i = 0; i < 4; i++)
        if (tu_wants(tu_all_isas[i])) out[n++] = tu_all_isas[i];
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

static inline int tu_finish(const char* name) {
    if (tu_only_set) printf("%s [%s]: %ld checks, %d failed\n", name, hpc_isa_name(tu_only), tu_checks, tu_failures);
    else printf("%s: %ld checks, %d failed\n", name, tu_checks, tu_failures);
    return tu_failures ? 1 : 0;
}

#endif
