/* Native convolution benchmark: forward / backward-data / backward-weights GFLOP/s per ISA path
 * and thread count on the issue-5 shapes (LeNet's two layers at batch 64 and a 3x3 64->64 layer).
 *
 * Build (after the CMake build of the library into build/<dir>):
 *   gcc -O2 -Inative/include bench/native/conv_bench.c build/<dir>/native/libhpcnn.a \
 *       -lopenblas -lpthread -lm -o build/<dir>/conv_bench
 * Run: conv_bench [reps] [path...]   (paths: scalar avx2 avx512 openblas; default: all supported
 *      except scalar, whose plain-loop GEMM takes seconds per call on these shapes)
 * Each figure is the best of `reps` timed batches (default 5), each batch >= 100 ms: other
 * processes on a shared machine only ever make a batch slower. FLOPs = 2 n k (c r s) (oh ow) per
 * kernel, the im2col-GEMM count. Peak: about 115 GFLOP/s of FMA per core here (issue 5). */
#define _GNU_SOURCE
#include "hpcnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* BENCH_CLOCK=cpu times the calling thread's CPU time instead of wall time: on a machine shared
 * with other work it shows what a call costs when it runs (meaningful for 1-thread figures only). */
static clockid_t g_clock = CLOCK_MONOTONIC;

static double now(void) {
    struct timespec ts;
    clock_gettime(g_clock, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct shape {
    const char* name;
    hpc_conv2d_desc d;
} shape;

static const shape shapes[] = {
    {"lenet1 64x1x28x28 k32 5x5 p2", {64, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1}},
    {"lenet2 64x32x14x14 k64 5x5 p2", {64, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1}},
    {"3x3 64x64x32x32 k64 p1", {64, 64, 32, 32, 64, 3, 3, 1, 1, 1, 1, 1, 1}},
};

enum { FWD, BWD_DATA, BWD_WEIGHTS };

static hpc_status run(hpc_ctx* ctx, int op, const hpc_conv2d_desc* d, float* x, float* w, float* b, float* y,
                      float* dx, float* dw, float* db, void* ws, int64_t wsb) {
    switch (op) {
    case FWD: return hpc_conv2d_forward(ctx, d, x, w, b, HPC_ACT_RELU, y, ws, wsb);
    case BWD_DATA: return hpc_conv2d_backward_data(ctx, d, y, w, dx, ws, wsb);
    default: return hpc_conv2d_backward_weights(ctx, d, x, y, dw, db, ws, wsb);
    }
}

int main(int argc, char** argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    const char* clk = getenv("BENCH_CLOCK");
    int cpu_clock = clk && strcmp(clk, "cpu") == 0;
    if (cpu_clock) g_clock = CLOCK_THREAD_CPUTIME_ID;
    if (reps < 1) reps = 1;
    hpc_isa paths[4];
    int npaths = 0;
    static const struct { const char* name; hpc_isa isa; } all[] = {
        {"scalar", HPC_ISA_SCALAR}, {"avx2", HPC_ISA_AVX2}, {"avx512", HPC_ISA_AVX512}, {"openblas", HPC_ISA_OPENBLAS}};
    for (int a = 2; a < argc; a++)
        for (int i = 0; i < 4; i++)
            if (strcmp(argv[a], all[i].name) == 0) paths[npaths++] = all[i].isa;
    if (npaths == 0)
        for (int i = 1; i < 4; i++) {
            int32_t ok = 0;
            hpc_isa_supported(all[i].isa, &ok);
            if (ok) paths[npaths++] = all[i].isa;
        }
    char brand[128];
    hpc_get_cpu_brand(brand, sizeof brand);
    printf("cpu: %s; best of %d batches; %s clock; GFLOP/s (fraction of 115 GFLOP/s x threads)\n", brand, reps,
           cpu_clock ? "thread-CPU" : "wall");
    printf("%-32s %-9s %3s %16s %16s %16s\n", "shape", "path", "thr", "forward", "backward_data", "backward_weights");
    for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
        const hpc_conv2d_desc* d = &shapes[si].d;
        hpc_ctx* ctx = NULL;
        if (hpc_ctx_create(&ctx) != HPC_STATUS_OK) return 1;
        int64_t oh, ow, wsb;
        if (hpc_conv2d_output_size(ctx, d, &oh, &ow) || hpc_conv2d_workspace_size(ctx, d, &wsb)) {
            fprintf(stderr, "%s\n", hpc_ctx_last_error(ctx));
            return 1;
        }
        int64_t nx = d->n * d->c * d->h * d->w, nw = d->k * d->c * d->r * d->s, ny = d->n * d->k * oh * ow;
        float *x = malloc(4 * nx), *w = malloc(4 * nw), *b = malloc(4 * d->k), *y = malloc(4 * ny);
        float *dx = malloc(4 * nx), *dw = malloc(4 * nw), *db = malloc(4 * d->k);
        wsb *= 2; /* room for 2 threads' im2col buffers (the chunked weight gradient uses them) */
        void* ws = aligned_alloc(64, (size_t)((wsb + 63) / 64 * 64 + 64));
        for (int64_t i = 0; i < nx; i++) x[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
        for (int64_t i = 0; i < nw; i++) w[i] = (float)((i * 104729) % 1000) / 1000.0f - 0.5f;
        for (int64_t i = 0; i < d->k; i++) b[i] = 0.01f * (float)i;
        for (int64_t i = 0; i < ny; i++) y[i] = (float)((i * 31) % 100) / 100.0f - 0.5f;
        double flops = 2.0 * d->n * d->k * (double)(d->c * d->r * d->s) * (double)(oh * ow);
        for (int pi = 0; pi < npaths; pi++)
            for (int t = 1; t <= (cpu_clock ? 1 : 2); t++) {
                if (hpc_ctx_set_isa(ctx, paths[pi]) || hpc_ctx_set_threads(ctx, t)) return 1;
                double g[3];
                for (int op = 0; op < 3; op++) {
                    if (run(ctx, op, d, x, w, b, y, dx, dw, db, ws, wsb)) { /* warm-up, and the check */
                        fprintf(stderr, "%s\n", hpc_ctx_last_error(ctx));
                        return 1;
                    }
                    double best = 1e30;
                    for (int r = 0; r < reps; r++) {
                        int calls = 0;
                        double t0 = now(), el;
                        do {
                            run(ctx, op, d, x, w, b, y, dx, dw, db, ws, wsb);
                            calls++;
                            el = now() - t0;
                        } while (el < 0.1);
                        if (el / calls < best) best = el / calls;
                    }
                    g[op] = flops / best * 1e-9;
                }
                printf("%-32s %-9s %3d", shapes[si].name, hpc_isa_name(paths[pi]), t);
                for (int op = 0; op < 3; op++) printf("   %6.1f (%4.2f)", g[op], g[op] / (115.0 * t));
                printf("\n");
                fflush(stdout);
            }
        free(x), free(w), free(b), free(y), free(dx), free(dw), free(db), free(ws);
        hpc_ctx_destroy(ctx);
    }
    return 0;
}
