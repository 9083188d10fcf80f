/* A/B of two builds of libhpcnn.so in one process: the convolution calls of the issue-5 shapes,
 * alternated call by call, best time of each side. On the noisy 2-vCPU machines this project is
 * measured on, two runs of one binary a minute apart differ by up to 30%; alternating inside one
 * process puts both builds in the same phases, so their ratio is stable where absolute figures
 * are not (the "A/B" figures of bench/RESULTS.md and of the commit messages).
 *
 * Build: gcc -O2 -Inative/include bench/native/conv_ab.c -ldl -lm -o build/conv_ab
 * A build of another revision: git worktree add /tmp/base REV && cmake -S /tmp/base -B /tmp/base/build
 *   -DCMAKE_BUILD_TYPE=Release && cmake --build /tmp/base/build --target hpcnn -j2
 *   (the library lands in /tmp/base/build/native/libhpcnn.so)
 * Run:   conv_ab A.so B.so SHAPE OP THREADS ROUNDS
 *   SHAPE 0 lenet1 (64x1x28x28, 32 5x5 pad 2), 1 lenet2 (64x32x14x14, 64 5x5 pad 2),
 *         2 3x3 (64x64x32x32, 64 3x3 pad 1), 3 lenet1 at batch 1, 4 lenet1 at batch 8
 *   OP    0 forward (ReLU), 1 backward-data, 2 backward-weights with bias gradient, 3 without,
 *         4 forward (ReLU) then a 2x2 max pool of its output (LeNet's pair: does the pool find the
 *         convolution's output in cache?); GFLOP/s count the convolution only
 * Prints each side's GFLOP/s (best round), B/A, and the largest difference between their outputs. */
#define _GNU_SOURCE
#include "hpcnn.h"
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct lib {
    void* h;
    hpc_status (*create)(hpc_ctx**);
    hpc_status (*threads)(hpc_ctx*, int32_t);
    hpc_status (*fwd)(hpc_ctx*, const hpc_conv2d_desc*, const float*, const float*, const float*, hpc_activation,
                      float*, void*, int64_t);
    hpc_status (*bd)(hpc_ctx*, const hpc_conv2d_desc*, const float*, const float*, float*, void*, int64_t);
    hpc_status (*bw)(hpc_ctx*, const hpc_conv2d_desc*, const float*, const float*, float*, float*, void*, int64_t);
    hpc_status (*pool)(hpc_ctx*, const hpc_pool2d_desc*, const float*, float*, int32_t*);
    const char* (*err)(const hpc_ctx*);
    hpc_ctx* ctx;
} lib;

static void* sym(void* h, const char* name) {
    void* p = dlsym(h, name);
    if (!p) {
        fprintf(stderr, "conv_ab: %s\n", dlerror());
        exit(1);
    }
    return p;
}

static void load(lib* l, const char* path, int threads) {
    /* RTLD_LOCAL: each build keeps its own symbols, so both live in one process */
    l->h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!l->h) {
        fprintf(stderr, "conv_ab: %s\n", dlerror());
        exit(1);
    }
    l->create = sym(l->h, "hpc_ctx_create"), l->threads = sym(l->h, "hpc_ctx_set_threads");
    l->fwd = sym(l->h, "hpc_conv2d_forward"), l->bd = sym(l->h, "hpc_conv2d_backward_data");
    l->bw = sym(l->h, "hpc_conv2d_backward_weights"), l->err = sym(l->h, "hpc_ctx_last_error");
    l->pool = sym(l->h, "hpc_maxpool2d_forward");
    if (l->create(&l->ctx) || l->threads(l->ctx, threads)) {
        fprintf(stderr, "conv_ab: cannot create a %d-thread context from %s\n", threads, path);
        exit(1);
    }
}

static const hpc_conv2d_desc shapes[] = {
    {64, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1},  {64, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1},
    {64, 64, 32, 32, 64, 3, 3, 1, 1, 1, 1, 1, 1}, {1, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1},
    {8, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1}};

int main(int argc, char** argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: conv_ab A.so B.so SHAPE(0-4) OP(0-4) THREADS ROUNDS\n");
        return 2;
    }
    int si = atoi(argv[3]), op = atoi(argv[4]), thr = atoi(argv[5]), rounds = atoi(argv[6]);
    if (si < 0 || si > 4 || op < 0 || op > 4 || thr < 1 || rounds < 1) {
        fprintf(stderr, "conv_ab: SHAPE 0-4, OP 0-4, THREADS >= 1, ROUNDS >= 1\n");
        return 2;
    }
    lib L[2];
    load(&L[0], argv[1], thr);
    load(&L[1], argv[2], thr);
    const hpc_conv2d_desc* d = &shapes[si];
    int64_t oh = (d->h + 2 * d->pad_h - d->r) / d->stride_h + 1, ow = (d->w + 2 * d->pad_w - d->s) / d->stride_w + 1;
    int64_t nx = d->n * d->c * d->h * d->w, nw = d->k * d->c * d->r * d->s, ny = d->n * d->k * oh * ow;
    int64_t nout = op == 0 || op == 4 ? ny : op == 1 ? nx : nw;
    hpc_pool2d_desc pd = {d->n, d->k, oh, ow, 2, 2, 2, 2, 0, 0};
    float* pooled = malloc(4 * (size_t)(ny / 4 + 1));
    int32_t* argmax = malloc(4 * (size_t)(ny / 4 + 1));
    float *x = malloc(4 * nx), *w = malloc(4 * nw), *b = malloc(4 * d->k), *db = malloc(4 * d->k), *dy = malloc(4 * ny);
    /* 64-byte aligned, as Hpc's tensors are (Tensor.cs) */
    float* out[2] = {aligned_alloc(64, (size_t)(4 * nout + 64)), aligned_alloc(64, (size_t)(4 * nout + 64))};
    for (int64_t i = 0; i < nx; i++) x[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
    for (int64_t i = 0; i < nw; i++) w[i] = (float)((i * 104729) % 1000) / 1000.0f - 0.5f;
    for (int64_t i = 0; i < d->k; i++) b[i] = 0.01f * (float)i;
    for (int64_t i = 0; i < ny; i++) dy[i] = (float)((i * 31) % 100) / 100.0f - 0.5f;
    int64_t wsb = (int64_t)64 << 20; /* more than any of these shapes' im2col workspace */
    void* ws = aligned_alloc(64, (size_t)wsb);
    double best[2] = {1e30, 1e30};
    for (int r = 0; r < rounds; r++)
        for (int s = 0; s < 2; s++) {
            lib* l = &L[s];
            double t = now();
            hpc_status st = op == 0 || op == 4 ? l->fwd(l->ctx, d, x, w, b, HPC_ACT_RELU, out[s], ws, wsb)
                            : op == 1 ? l->bd(l->ctx, d, dy, w, out[s], ws, wsb)
                                      : l->bw(l->ctx, d, x, dy, out[s], op == 3 ? NULL : db, ws, wsb);
            if (!st && op == 4) st = l->pool(l->ctx, &pd, out[s], pooled, argmax);
            t = now() - t;
            if (st) {
                fprintf(stderr, "conv_ab: %s\n", l->err(l->ctx));
                return 1;
            }
            if (t < best[s]) best[s] = t;
        }
    double flops = 2.0 * d->n * d->k * (double)(d->c * d->r * d->s) * (double)(oh * ow), md = 0, mx = 0;
    for (int64_t i = 0; i < nout; i++) {
        md = fmax(md, fabs(out[0][i] - out[1][i]));
        mx = fmax(mx, fabs(out[0][i]));
    }
    printf("shape %d op %d threads %d: A %.1f GFLOP/s  B %.1f GFLOP/s  B/A %.2f  max |A-B| %.3g (max |A| %.3g)\n", si,
           op, thr, flops / best[0] * 1e-9, flops / best[1] * 1e-9, best[0] / best[1], md, mx);
    return 0;
}
