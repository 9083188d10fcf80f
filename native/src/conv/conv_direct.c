/* The direct kernels' drivers: staging in the context's workspace, the task partitions, and the
 * calls through the path's conv_direct slot. Every output is computed by one task in an order
 * fixed by the shapes, never by the thread count. */
#include "conv/conv_internal.h"
#include <string.h>

static int64_t round16(int64_t floats) { return (floats + 15) / 16 * 16; }

static const hpc_conv_direct_kernels* direct(const hpc_ctx* ctx) { return ctx->kernels->conv_direct; }

/* ---- shallow layers: one image per task ---- */

typedef struct shallow_job {
    const hpc_conv_direct_kernels* k;
    const hpc_conv_geom* g;
    const float *x, *w, *bias;
    int relu;
    float* y;
} shallow_job;

static void shallow_task(void* arg, int64_t b, int32_t worker) {
    shallow_job* j = (shallow_job*)arg;
    const hpc_conv_geom* g = j->g;
    j->k->shallow_image(g, j->x + b * g->c * g->h * g->w, j->w, j->bias, j->relu, j->y + b * g->k * g->ohw);
}

hpc_status hpc_conv_run_shallow(hpc_ctx* ctx, const hpc_conv_call* c) {
    const hpc_conv_geom* g = c->g;
    shallow_job j = {direct(ctx), g, c->x, c->w, c->bias, c->act == HPC_ACT_RELU, c->y};
    return hpc_parallel_for(ctx, g->n, hpc_threads_for(ctx, g->n), shallow_task, &j);
}

/* ---- padding the batch (the staging the 8-channel kernels and the weight gradients share) ---- */

typedef struct pad_job {
    const hpc_conv_direct_kernels* k;
    const hpc_conv_geom* g;
    const float* x;
    float* xpad;
    int64_t hp, wp;
    int blocked;
} pad_job;

/* Image b of x padded into xp: plane by plane, or channel-blocked. */
static void pad_image(const hpc_conv_direct_kernels* k, const hpc_conv_geom* g, const float* x, int64_t b, float* xp,
                      int64_t hp, int64_t wp, int blocked) {
    const float* img = x + b * g->c * g->h * g->w;
    if (blocked) k->pad_image_blocked(g, img, xp, hp, wp);
    else k->pad_image(g, img, xp, hp, wp);
}

static void pad_task(void* arg, int64_t b, int32_t worker) {
    pad_job* j = (pad_job*)arg;
    pad_image(j->k, j->g, j->x, b, j->xpad + b * j->g->c * j->hp * j->wp, j->hp, j->wp, j->blocked);
}

static hpc_status pad_batch(hpc_ctx* ctx, const hpc_conv_geom* g, const float* x, float* xpad, int64_t hp, int64_t wp,
                            int blocked) {
    pad_job j = {direct(ctx), g, x, xpad, hp, wp, blocked};
    return hpc_parallel_for(ctx, g->n, hpc_threads_for(ctx, g->n), pad_task, &j);
}

/* ---- pixel-vectorised forward ---- */

#define FLAT_FILTERS 16 /* filters per task of the flat kernel */
/* Outputs from this size up are written by the flat kernel with non-temporal stores: past the
 * caches they would go to memory anyway, and streaming skips reading each line before writing it.
 * A/B on LeNet's first layer followed by its max pool (bench/native/conv_ab.c, op 4): at batch 64
 * (6.4 MB) 1.3x at 2 threads and on par at 1; at batch 8 (0.8 MB) streaming lost 6-10%, the pool
 * then reading from memory what it would have found in cache. */
#define FLAT_STREAM_BYTES ((int64_t)4 << 20)

typedef struct flat_job {
    const hpc_conv_direct_kernels* k;
    const hpc_conv_geom* g;
    const float *x, *w, *bias;
    int relu;
    float *stage, *y;
    int64_t stage_floats, per; /* per: filters per task */
    int stream;
} flat_job;

static void flat_task(void* arg, int64_t t, int32_t worker) {
    flat_job* j = (flat_job*)arg;
    const hpc_conv_geom* g = j->g;
    int64_t groups = (g->k + j->per - 1) / j->per, b = t / groups, k0 = t % groups * j->per;
    float* st = j->stage + worker * j->stage_floats;
    j->k->flat_stage_image(g, j->x + b * g->c * g->h * g->w, st);
    j->k->flat_image(g, st, j->w, j->bias, j->relu, k0, g->k - k0 < j->per ? g->k - k0 : j->per,
                     j->y + b * g->k * g->ohw, j->stream);
}

/* One task per image, or per (image, 16 filters) when the batch is too small to give every thread
 * two images; each task stages its image into its worker's slice of the context's workspace (a
 * few KB) and reads the weights as given. */
hpc_status hpc_conv_run_flat(hpc_ctx* ctx, const hpc_conv_call* c) {
    const hpc_conv_geom* g = c->g;
    flat_job j = {.k = direct(ctx), .g = g, .x = c->x, .w = c->w, .bias = c->bias, .relu = c->act == HPC_ACT_RELU,
                  .y = c->y};
    j.per = g->n >= 2 * ctx->threads ? g->k : FLAT_FILTERS;
    j.stream = g->n * g->k * g->ohw * (int64_t)sizeof(float) >= FLAT_STREAM_BYTES;
    int64_t ntasks = g->n * ((g->k + j.per - 1) / j.per);
    int32_t threads = hpc_threads_for(ctx, ntasks);
    j.stage_floats = round16(hpc_conv_flat_stage_floats(g));
    j.stage = (float*)hpc_ctx_workspace(ctx, (size_t)(threads * j.stage_floats) * sizeof(float));
    if (!j.stage) return hpc_fail(ctx, HPC_STATUS_OUT_OF_MEMORY, "hpc_conv2d: cannot allocate %lld bytes",
                                  (long long)(threads * j.stage_floats * 4));
    hpc_status st = hpc_parallel_for(ctx, ntasks, threads, flat_task, &j);
    if (st != HPC_STATUS_OK) return st;
    return hpc_conv_second_pass(ctx, c);
}

/* ---- 8-channel forward (and backward-data, as the transposed convolution) ---- */

typedef struct oc8_job {
    const hpc_conv_direct_kernels* k;
    const hpc_conv_geom* g;
    const float *x, *wb, *bias;
    int relu;
    float *xpad, *y;
    int64_t hp, wp, kblocks, xslice; /* xslice: floats of one worker's padded image */
    int blocked;                     /* images and weights channel-blocked */
} oc8_job;

static void oc8_task(void* arg, int64_t t, int32_t worker) {
    oc8_job* j = (oc8_job*)arg;
    const hpc_conv_geom* g = j->g;
    int64_t per = j->k->oc8_blocks_per_task(g), groups = (j->kblocks + per - 1) / per;
    int64_t b = t / groups, kb = t % groups * per;
    int nkb = (int)(j->kblocks - kb < per ? j->kblocks - kb : per);
    j->k->oc8_block(g, j->xpad + b * g->c * j->hp * j->wp, j->wb, j->bias, j->relu, kb, nkb, j->blocked,
                    j->y + b * g->k * g->ohw);
}

/* A whole image: padded into the worker's own slice, then every filter block from it. */
static void oc8_image_task(void* arg, int64_t b, int32_t worker) {
    oc8_job* j = (oc8_job*)arg;
    const hpc_conv_geom* g = j->g;
    float* xp = j->xpad + worker * j->xslice;
    pad_image(j->k, g, j->x, b, xp, j->hp, j->wp, j->blocked);
    for (int64_t kb = 0, per = j->k->oc8_blocks_per_task(g); kb < j->kblocks; kb += per)
        j->k->oc8_block(g, xp, j->wb, j->bias, j->relu, kb, (int)(j->kblocks - kb < per ? j->kblocks - kb : per),
                        j->blocked, j->y + b * g->k * g->ohw);
}

/* Weights reordered into the context's workspace, then, when the batch gives every thread two
 * images or more, one task per image, each padding its image into its worker's slice of the
 * workspace (it stays in L2 for all its filter blocks; staging the padded batch first, 19 MB for
 * 64 images of 64 x 34 x 34, took the 3x3 layer from 80 GFLOP/s at batch 1 to 64 at batch 64);
 * else every image padded once, then one task per (image, 8-filter blocks), so a single image
 * (batch-1 inference) still spreads over the threads. flip_of: g is the transposed convolution of
 * that forward layer (backward-data), whose weights w are. */
static hpc_status run_oc8(hpc_ctx* ctx, const hpc_conv_geom* g, const float* x, const float* w,
                          const hpc_conv_geom* flip_of, const float* bias, int relu, float* y) {
    oc8_job j = {.k = direct(ctx), .g = g, .x = x, .bias = bias, .relu = relu, .y = y,
                 .kblocks = hpc_conv_oc_blocks(g->k)};
    hpc_conv_oc8_padded_dims(g, &j.hp, &j.wp);
    int per_image = g->n >= 2 * ctx->threads;
    int32_t threads = ctx->threads;
    j.xslice = round16(g->c * j.hp * j.wp);
    int64_t wb_floats = round16(j.kblocks * HPC_CONV_OC * g->crs), xfloats = per_image ? threads * j.xslice
                                                                                          : g->n * g->c * j.hp * j.wp;
    float* buf = (float*)hpc_ctx_workspace(ctx, (size_t)(wb_floats + xfloats) * sizeof(float));
    if (!buf) return hpc_fail(ctx, HPC_STATUS_OUT_OF_MEMORY, "hpc_conv2d: cannot allocate %lld bytes",
                              (long long)((wb_floats + xfloats) * 4));
    float* wb = buf;
    j.wb = wb, j.xpad = buf + wb_floats;
    j.blocked = hpc_conv_oc8_blocked_supported(g);
    if (j.blocked) hpc_conv_oc8_pack_weights_blocked(g, w, flip_of != NULL, wb);
    else if (flip_of) hpc_conv_oc8_pack_weights_flipped(flip_of, w, wb);
    else hpc_conv_oc8_pack_weights(g, w, wb);
    if (per_image) return hpc_parallel_for(ctx, g->n, threads, oc8_image_task, &j);
    hpc_status st = pad_batch(ctx, g, x, j.xpad, j.hp, j.wp, j.blocked);
    if (st != HPC_STATUS_OK) return st;
    int64_t per = j.k->oc8_blocks_per_task(g), ntasks = g->n * ((j.kblocks + per - 1) / per);
    return hpc_parallel_for(ctx, ntasks, hpc_threads_for(ctx, ntasks), oc8_task, &j);
}

hpc_status hpc_conv_run_oc8(hpc_ctx* ctx, const hpc_conv_call* c) {
    hpc_status st = run_oc8(ctx, c->g, c->x, c->w, NULL, c->bias, c->act == HPC_ACT_RELU, c->y);
    return st != HPC_STATUS_OK ? st : hpc_conv_second_pass(ctx, c);
}

hpc_status hpc_conv_run_oc8_backward_data(hpc_ctx* ctx, const hpc_conv_call* c) {
    hpc_conv_geom tg;
    hpc_conv_transposed_geom(c->g, &tg);
    return run_oc8(ctx, &tg, c->dy, c->w, c->g, NULL, 0, c->dx);
}

/* ---- weight gradient over 8-filter blocks ---- */

typedef struct wgrad_oc8_job {
    const hpc_conv_direct_kernels* k;
    const hpc_conv_geom* g;
    const float* dy;
    float *xpad, *dyt, *dwb, *dw;
    int64_t hp, wp, per, kgroups, cper;
} wgrad_oc8_job;

static void wgrad_oc8_stage_task(void* arg, int64_t b, int32_t worker) {
    wgrad_oc8_job* j = (wgrad_oc8_job*)arg;
    const hpc_conv_geom* g = j->g;
    j->k->oc8_stage_dy(g, j->dy + b * g->k * g->ohw, j->dyt + b * hpc_conv_oc_blocks(g->k) * g->ohw * HPC_CONV_OC);
}

static void wgrad_oc8_task(void* arg, int64_t t, int32_t worker) {
    wgrad_oc8_job* j = (wgrad_oc8_job*)arg;
    const hpc_conv_geom* g = j->g;
    int64_t kblocks = hpc_conv_oc_blocks(g->k), kb = t % j->kgroups * j->per, c0 = t / j->kgroups * j->cper;
    int64_t c1 = c0 + j->cper < g->c ? c0 + j->cper : g->c;
    int nkb = (int)(kblocks - kb < j->per ? kblocks - kb : j->per);
    j->k->oc8_wgrad_task(g, j->xpad, j->hp, j->wp, j->dyt, kb, nkb, c0, c1, j->dwb, j->dw);
}

/* Stages the whole batch (padded inputs, pixel-major dy) in the context's workspace, then one task
 * per (pair of 8-filter blocks, group of channels): groups small enough for about four tasks a
 * thread, no smaller, since every task reads the whole batch's dy for its filters. */
hpc_status hpc_conv_run_wgrad_oc8(hpc_ctx* ctx, const hpc_conv_call* c) {
    const hpc_conv_geom* g = c->g;
    wgrad_oc8_job j = {.k = direct(ctx), .g = g, .dy = c->dy, .dw = c->dw};
    j.per = j.k->oc8_wgrad_blocks_per_task(g);
    hpc_conv_oc8_padded_dims(g, &j.hp, &j.wp);
    int64_t kblocks = hpc_conv_oc_blocks(g->k);
    int64_t xfloats = g->n * g->c * j.hp * j.wp, dfloats = g->n * kblocks * g->ohw * HPC_CONV_OC;
    int64_t sfloats = kblocks * HPC_CONV_OC * g->crs;
    float* buf = (float*)hpc_ctx_workspace(ctx, (size_t)(xfloats + dfloats + sfloats) * sizeof(float));
    if (!buf) return hpc_fail(ctx, HPC_STATUS_OUT_OF_MEMORY, "hpc_conv2d_backward_weights: cannot allocate %lld bytes",
                              (long long)((xfloats + dfloats + sfloats) * 4));
    j.xpad = buf, j.dyt = buf + xfloats, j.dwb = j.dyt + dfloats;
    hpc_status st = pad_batch(ctx, g, c->x, j.xpad, j.hp, j.wp, 0);
    if (st == HPC_STATUS_OK) st = hpc_parallel_for(ctx, g->n, hpc_threads_for(ctx, g->n), wgrad_oc8_stage_task, &j);
    if (st != HPC_STATUS_OK) return st;
    j.kgroups = (kblocks + j.per - 1) / j.per;
    int64_t want = 4 * (int64_t)ctx->threads, cgroups = (want + j.kgroups - 1) / j.kgroups;
    if (cgroups > g->c) cgroups = g->c;
    j.cper = (g->c + cgroups - 1) / cgroups;
    int64_t ntasks = j.kgroups * ((g->c + j.cper - 1) / j.cper);
    st = hpc_parallel_for(ctx, ntasks, hpc_threads_for(ctx, ntasks), wgrad_oc8_task, &j);
    return st != HPC_STATUS_OK ? st : hpc_conv_bias_grad(ctx, c);
}

/* ---- weight gradient over output pixels ---- */

typedef struct wgrad_flat_job {
    const hpc_conv_direct_kernels* k;
    const hpc_conv_geom* g;
    const float* dy;
    float *xpad, *stage, *sums, *dw, *db;
    double* bias_sums;
    int64_t hp, wp, stage_floats, kper, groups;
} wgrad_flat_job;

static void wgrad_flat_task(void* arg, int64_t t, int32_t worker) {
    wgrad_flat_job* j = (wgrad_flat_job*)arg;
    const hpc_conv_geom* g = j->g;
    int64_t k0 = t % j->groups * j->kper, c = t / j->groups, k1 = k0 + j->kper < g->k ? k0 + j->kper : g->k;
    j->k->flat_wgrad_task(g, j->xpad, j->hp, j->wp, j->dy, k0, k1, c, j->stage + t * j->stage_floats, j->sums,
                          j->bias_sums, j->dw, c == 0 ? j->db : NULL);
}

/* Pads the inputs in the context's workspace, then one task per (range of filters, channel):
 * about two tasks a thread, each walking the batch once and staging its own filters' dy, which
 * also gives the bias gradient (db, may be null) without a pass of its own over dy. */
hpc_status hpc_conv_run_wgrad_flat(hpc_ctx* ctx, const hpc_conv_call* c) {
    const hpc_conv_geom* g = c->g;
    wgrad_flat_job j = {.k = direct(ctx), .g = g, .dy = c->dy, .dw = c->dw, .db = c->db};
    hpc_conv_oc8_padded_dims(g, &j.hp, &j.wp);
    int64_t per = j.k->flat_wgrad_filters(g), blocks = (g->k + per - 1) / per;
    int64_t want = (2 * (int64_t)ctx->threads + g->c - 1) / g->c;
    j.groups = want < blocks ? want : blocks;
    j.kper = (blocks + j.groups - 1) / j.groups * per;
    j.groups = (g->k + j.kper - 1) / j.kper;
    int64_t ntasks = j.groups * g->c;
    j.stage_floats = round16(j.kper * hpc_conv_flat_dy_stride(g, j.wp) + 8); /* + the staging's overrun */
    int64_t xfloats = round16(g->n * g->c * j.hp * j.wp + 32), tfloats = ntasks * j.stage_floats;
    int64_t sfloats = g->k * g->crs * 8, bfloats = g->k * 16; /* k * 8 doubles */
    float* buf = (float*)hpc_ctx_workspace(ctx, (size_t)(xfloats + tfloats + sfloats + bfloats) * sizeof(float));
    if (!buf) return hpc_fail(ctx, HPC_STATUS_OUT_OF_MEMORY, "hpc_conv2d_backward_weights: cannot allocate %lld bytes",
                              (long long)((xfloats + tfloats + sfloats + bfloats) * 4));
    j.xpad = buf, j.stage = buf + xfloats, j.sums = j.stage + tfloats, j.bias_sums = (double*)(j.sums + sfloats);
    int64_t padded = g->n * g->c * j.hp * j.wp; /* then the slack the kernel's last vectors read */
    memset(buf + padded, 0, (size_t)(xfloats - padded) * sizeof(float));
    hpc_status st = pad_batch(ctx, g, c->x, j.xpad, j.hp, j.wp, 0);
    if (st != HPC_STATUS_OK) return st;
    return hpc_parallel_for(ctx, ntasks, hpc_threads_for(ctx, ntasks), wgrad_flat_task, &j);
}
