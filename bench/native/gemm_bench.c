/* Native sgemm benchmark: GFLOP/s per ISA path and thread count on the issue-3 shapes, plus a
 * peak-FMA loop, so every figure can be read as a fraction of the machine's peak.
 *
 * Build (after the CMake build of the library into build/<dir>):
 *   gcc -O2 -mavx2 -mfma -Inative/include bench/native/gemm_bench.c build/<dir>/native/libhpcnn.a \
 *       -lopenblas -lpthread -lm -o build/<dir>/gemm_bench
 * Run: gemm_bench [reps] [path...]   (paths: scalar avx2 avx512 openblas; default all supported)
 *      gemm_bench one <path> <threads> <m> <n> <k> [ta tb]   (a single shape, for tuning / perf)
 * Each figure is the best of `reps` timed batches (default 5), each batch >= 50 ms: other
 * processes on a shared machine only ever make a batch slower, so the best is the cleanest. */
#define _GNU_SOURCE
#include "hpcnn.h"
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

/* BENCH_CLOCK=cpu times the calling thread's CPU time instead of wall time: on a machine shared
 * with other work it shows what a single-thread call costs when it runs (1-thread figures only). */
static clockid_t g_clock = CLOCK_MONOTONIC;

static double now(void) {
    struct timespec ts;
    clock_gettime(g_clock, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- peak FMA: 12 independent accumulator chains hide the 4-cycle FMA latency on 2 ports ---- */
#define FMA_ITERS 20000000L
static void* fma_avx2(void* out) {
    __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
    __m256 a0 = _mm256_set1_ps(0), a1 = _mm256_set1_ps(1), a2 = _mm256_set1_ps(2), a3 = _mm256_set1_ps(3),
           a4 = _mm256_set1_ps(4), a5 = _mm256_set1_ps(5), a6 = _mm256_set1_ps(6), a7 = _mm256_set1_ps(7),
           a8 = _mm256_set1_ps(8), a9 = _mm256_set1_ps(9), a10 = _mm256_set1_ps(10), a11 = _mm256_set1_ps(11);
    for (long it = 0; it < FMA_ITERS; it++) {
        a0 = _mm256_fmadd_ps(a0, x, y); a1 = _mm256_fmadd_ps(a1, x, y); a2 = _mm256_fmadd_ps(a2, x, y);
        a3 = _mm256_fmadd_ps(a3, x, y); a4 = _mm256_fmadd_ps(a4, x, y); a5 = _mm256_fmadd_ps(a5, x, y);
        a6 = _mm256_fmadd_ps(a6, x, y); a7 = _mm256_fmadd_ps(a7, x, y); a8 = _mm256_fmadd_ps(a8, x, y);
        a9 = _mm256_fmadd_ps(a9, x, y); a10 = _mm256_fmadd_ps(a10, x, y); a11 = _mm256_fmadd_ps(a11, x, y);
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                             _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
    s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
    *(float*)out = _mm256_cvtss_f32(s);
    return NULL;
}

static double peak_fma(int threads) {
    double best = 0;
    if (g_clock != CLOCK_MONOTONIC) {
        for (int rep = 0; rep < 3; rep++) {
            static volatile float sink;
            float out;
            double t0 = now();
            fma_avx2(&out);
            sink = out;
            double gf = (double)FMA_ITERS * 12 * 8 * 2 / (now() - t0) / 1e9;
            if (gf > best) best = gf;
        }
        return best;
    }
    for (int rep = 0; rep < 3; rep++) {
        pthread_t th[8];
        float sink[8];
        double t0 = now();
        for (int i = 0; i < threads; i++) pthread_create(&th[i], NULL, fma_avx2, &sink[i]);
        for (int i = 0; i < threads; i++) pthread_join(th[i], NULL);
        double dt = now() - t0;
        double gf = threads * (double)FMA_ITERS * 12 * 8 * 2 / dt / 1e9;
        if (gf > best) best = gf;
    }
    return best;
}

/* ---- sgemm ---- */
typedef struct shape {
    const char* name;
    int ta, tb;
    int64_t m, n, k;
} shape;

static const shape k_shapes[] = {
    {"sq64", 0, 0, 64, 64, 64},       {"sq128", 0, 0, 128, 128, 128},    {"sq256", 0, 0, 256, 256, 256},
    {"sq512", 0, 0, 512, 512, 512},   {"sq1024", 0, 0, 1024, 1024, 1024}, {"sq2048", 0, 0, 2048, 2048, 2048},
    {"mlp1", 0, 0, 128, 256, 784},    {"mlp2", 0, 0, 128, 784, 256},     {"mlp3", 0, 0, 256, 784, 128},
    {"mlp4", 0, 0, 128, 10, 256},     {"mlp5", 0, 0, 64, 128, 64},       {"mlp6", 0, 0, 32, 512, 512},
    {"batch1", 0, 0, 1, 256, 784},
    /* backward pass of Linear(784->256) at batch 128: dX = dY W^T-ish and dW = X^T dY */
    {"bwd_dx(NT)", 0, 1, 128, 784, 256}, {"bwd_dw(TN)", 1, 0, 784, 256, 128},
};
#define NSHAPES (sizeof k_shapes / sizeof k_shapes[0])

static double bench_one(hpc_ctx* ctx, const shape* s, float* a, float* b, float* c, int reps) {
    int64_t lda = s->ta ? s->m : s->k, ldb = s->tb ? s->k : s->n;
    double flops = 2.0 * s->m * s->n * s->k;
    /* calibrate: enough calls for >= 50 ms per batch */
    long calls = 1;
    for (;;) {
        double t0 = now();
        for (long i = 0; i < calls; i++)
            hpc_sgemm(ctx, (hpc_transpose)s->ta, (hpc_transpose)s->tb, s->m, s->n, s->k, 1.0f, a, lda, b, ldb, 0.0f, c,
                      s->n);
        double dt = now() - t0;
        if (dt > 0.05) break;
        calls *= dt < 0.005 ? 10 : 2;
    }
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        for (long i = 0; i < calls; i++)
            hpc_sgemm(ctx, (hpc_transpose)s->ta, (hpc_transpose)s->tb, s->m, s->n, s->k, 1.0f, a, lda, b, ldb, 0.0f, c,
                      s->n);
        double dt = (now() - t0) / calls;
        if (dt < best) best = dt;
    }
    return flops / best / 1e9;
}

static int run_one(int argc, char** argv) {
    if (argc < 7) return 2;
    static const hpc_isa all[] = {HPC_ISA_SCALAR, HPC_ISA_AVX2, HPC_ISA_AVX512, HPC_ISA_OPENBLAS};
    hpc_ctx* ctx;
    hpc_ctx_create(&ctx);
    for (int i = 0; i < 4; i++)
        if (strcmp(argv[2], hpc_isa_name(all[i])) == 0) hpc_ctx_set_isa(ctx, all[i]);
    hpc_ctx_set_threads(ctx, atoi(argv[3]));
    shape sh = {"one", argc > 7 ? atoi(argv[7]) : 0, argc > 8 ? atoi(argv[8]) : 0, atoll(argv[4]), atoll(argv[5]),
                atoll(argv[6])};
    int64_t e = (sh.m > sh.n ? sh.m : sh.n) * (sh.k > sh.n ? sh.k : sh.n) + 64;
    float* a = aligned_alloc(64, e * 4);
    float* b = aligned_alloc(64, e * 4);
    float* c = aligned_alloc(64, e * 4);
    for (int64_t i = 0; i < e; i++) a[i] = b[i] = c[i] = (float)(i % 7) * 0.1f;
    const char* clk = getenv("BENCH_CLOCK");
    if (clk && strcmp(clk, "cpu") == 0) g_clock = CLOCK_THREAD_CPUTIME_ID;
    printf("%s %sx%sx%s %s: %.1f GFLOP/s\n", argv[2], argv[4], argv[5], argv[6], argv[3], bench_one(ctx, &sh, a, b, c, 5));
    hpc_ctx_destroy(ctx);
    return 0;
}

int main(int argc, char** argv) {
    if (argc > 1 && strcmp(argv[1], "one") == 0) return run_one(argc, argv);
    if (argc > 1 && strcmp(argv[1], "peak") == 0) {
        const char* clk = getenv("BENCH_CLOCK");
        if (clk && strcmp(clk, "cpu") == 0) g_clock = CLOCK_THREAD_CPUTIME_ID;
        printf("peak FMA: %.1f GFLOP/s\n", peak_fma(1));
        return 0;
    }
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    const char* clk = getenv("BENCH_CLOCK");
    int cpu_clock = clk && strcmp(clk, "cpu") == 0;
    if (reps < 1) reps = 5;
    hpc_isa paths[4];
    int np = 0;
    static const hpc_isa all[] = {HPC_ISA_SCALAR, HPC_ISA_AVX2, HPC_ISA_AVX512, HPC_ISA_OPENBLAS};
    for (int i = 0; i < 4; i++) {
        int32_t ok = 0;
        hpc_isa_supported(all[i], &ok);
        int wanted = argc <= 2;
        for (int j = 2; j < argc; j++) wanted |= strcmp(argv[j], hpc_isa_name(all[i])) == 0;
        if (ok && wanted) paths[np++] = all[i];
    }
    char brand[128];
    hpc_get_cpu_brand(brand, sizeof brand);
    printf("cpu: %s\n", brand);
    if (cpu_clock) g_clock = CLOCK_THREAD_CPUTIME_ID;
    double p1 = peak_fma(1), p2 = cpu_clock ? 0 : peak_fma(2);
    printf("peak FMA (AVX2, 12 chains): 1 thread %.1f GFLOP/s, 2 threads %.1f GFLOP/s\n", p1, p2);
    int64_t maxe = 2048 * 2048;
    float* a = aligned_alloc(64, maxe * 4);
    float* b = aligned_alloc(64, maxe * 4);
    float* c = aligned_alloc(64, maxe * 4);
    for (int64_t i = 0; i < maxe; i++) {
        a[i] = (float)((i * 7 % 13) - 6) * 0.01f;
        b[i] = (float)((i * 5 % 11) - 5) * 0.01f;
        c[i] = 0;
    }
    printf("%-12s %14s", "shape", "m,n,k");
    for (int p = 0; p < np; p++)
        for (int t = 1; t <= (cpu_clock ? 1 : 2); t++) printf(" %9s/%dt", hpc_isa_name(paths[p]), t);
    printf("\n");
    double logsum[4][2] = {{0}};
    int counted[4][2] = {{0}};
    for (size_t s = 0; s < NSHAPES; s++) {
        const shape* sh = &k_shapes[s];
        char dims[40];
        snprintf(dims, sizeof dims, "%lld,%lld,%lld", (long long)sh->m, (long long)sh->n, (long long)sh->k);
        printf("%-12s %14s", sh->name, dims);
        fflush(stdout);
        for (int p = 0; p < np; p++)
            for (int t = 1; t <= (cpu_clock ? 1 : 2); t++) {
                double gf = 0;
                if (!(paths[p] == HPC_ISA_SCALAR && sh->m * sh->n * sh->k > 300000000LL)) {
                    hpc_ctx* ctx;
                    hpc_ctx_create(&ctx);
                    hpc_ctx_set_isa(ctx, paths[p]);
                    hpc_ctx_set_threads(ctx, t);
                    gf = bench_one(ctx, sh, a, b, c, reps);
                    hpc_ctx_destroy(ctx);
                }
                if (gf > 0) logsum[p][t - 1] += log(gf), counted[p][t - 1]++;
                if (gf > 0) printf(" %12.1f", gf);
                else printf(" %12s", "-");
                fflush(stdout);
            }
        printf("\n");
    }
    printf("%-27s", "geomean (measured shapes)");
    for (int p = 0; p < np; p++)
        for (int t = 0; t < (cpu_clock ? 1 : 2); t++) printf(" %12.1f", counted[p][t] ? exp(logsum[p][t] / counted[p][t]) : 0.0);
    printf("\n");
    free(a);
    free(b);
    free(c);
    return 0;
}
