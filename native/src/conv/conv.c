/* hpc_conv2d_*: validation, then im2col (or none, for 1x1) + hpc_sgemm per image, tiled over
 * output pixels so the workspace stays within what the caller gave. Bias and activation are
 * fused into the GEMM write-back (hpc_sgemm_bias_act). Shallow first layers (c r s <= 75) skip
 * im2col in the forward: conv_direct_avx2.c measured ~1.45x faster there (CONV_RESULTS.md).
 * Threads come from two places: the GEMM's own (same ctx) and hpc_parallel_for over images
 * (direct), channels / filters (im2col, col2im, db). Every reduction runs in an order fixed by
 * the shapes and the workspace size, never by the thread count. */
#include "conv/conv_internal.h"
#include <string.h>

#define HPC_CONV_FIELD_MAX 2147483647LL

static hpc_status check_field(hpc_ctx* ctx, const char* fn, const char* name, int64_t v, int64_t min) {
    if (v < min || v > HPC_CONV_FIELD_MAX)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: desc->%s = %lld is out of range [%lld, 2^31 - 1]", fn,
                        name, (long long)v, (long long)min);
    return HPC_STATUS_OK;
}

/* Validates desc into g; fn names the public entry point in messages. */
static hpc_status conv_geom(hpc_ctx* ctx, const char* fn, const hpc_conv2d_desc* d, hpc_conv_geom* g) {
    if (!d) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: desc is null", fn);
    hpc_status st;
#define FIELD(f, min)                                                                     \
    if ((st = check_field(ctx, fn, #f, d->f, min)) != HPC_STATUS_OK) return st;
    FIELD(n, 0) FIELD(c, 1) FIELD(h, 1) FIELD(w, 1) FIELD(k, 1) FIELD(r, 1) FIELD(s, 1)
    FIELD(stride_h, 1) FIELD(stride_w, 1) FIELD(pad_h, 0) FIELD(pad_w, 0) FIELD(dilation_h, 1) FIELD(dilation_w, 1)
#undef FIELD
    /* Every field is < 2^31, so these sums and products fit in int64. */
    int64_t er = d->dilation_h * (d->r - 1) + 1, es = d->dilation_w * (d->s - 1) + 1;
    int64_t hp = d->h + 2 * d->pad_h, wp = d->w + 2 * d->pad_w;
    if (er > hp || es > wp)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                        "%s: kernel %lldx%lld (dilated %lldx%lld) is larger than the padded input %lldx%lld "
                        "(input %lldx%lld, pad %lld,%lld)",
                        fn, (long long)d->r, (long long)d->s, (long long)er, (long long)es, (long long)hp,
                        (long long)wp, (long long)d->h, (long long)d->w, (long long)d->pad_h, (long long)d->pad_w);
    g->n = d->n, g->c = d->c, g->h = d->h, g->w = d->w, g->k = d->k, g->r = d->r, g->s = d->s;
    g->sh = d->stride_h, g->sw = d->stride_w, g->ph = d->pad_h, g->pw = d->pad_w;
    g->dh = d->dilation_h, g->dw = d->dilation_w;
    g->oh = (hp - er) / d->stride_h + 1;
    g->ow = (wp - es) / d->stride_w + 1;
    int64_t t;
    if (hpc_mul_overflow(g->oh, g->ow, &g->ohw) || hpc_mul_overflow(g->c, g->r, &t) ||
        hpc_mul_overflow(t, g->s, &g->crs) || hpc_mul_overflow(g->crs, g->ohw, &t) ||
        hpc_mul_overflow(t, (int64_t)sizeof(float), &t) || hpc_mul_overflow(g->n, g->c, &t) ||
        hpc_mul_overflow(t, g->h, &t) || hpc_mul_overflow(t, g->w, &t) || hpc_mul_overflow(g->n, g->k, &t) ||
        hpc_mul_overflow(t, g->ohw, &t) || hpc_mul_overflow(g->k, g->crs, &t))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                        "%s: tensor sizes overflow int64 (n %lld, c %lld, %lldx%lld input, k %lld, %lldx%lld kernel)",
                        fn, (long long)g->n, (long long)g->c, (long long)g->h, (long long)g->w, (long long)g->k,
                        (long long)g->r, (long long)g->s);
    return HPC_STATUS_OK;
}

/* 1x1, stride 1, no padding: the input plane already is the im2col matrix. */
static int is_pointwise(const hpc_conv_geom* g) {
    return g->r == 1 && g->s == 1 && g->sh == 1 && g->sw == 1 && g->ph == 0 && g->pw == 0;
}

/* The direct kernel's domain: a shallow GEMM (c r s <= 75) at stride 1 without dilation, on a SIMD
 * path, with an activation it applies in registers. */
static int use_direct(const hpc_ctx* ctx, const hpc_conv_geom* g, hpc_activation act) {
    hpc_isa isa = hpc_simd_isa(ctx);
    return (isa == HPC_ISA_AVX2 || isa == HPC_ISA_AVX512) && !is_pointwise(g) && g->crs <= 75 && g->s <= 8 &&
           g->sh == 1 && g->sw == 1 && g->dh == 1 && g->dw == 1 && (act == HPC_ACT_IDENTITY || act == HPC_ACT_RELU);
}

typedef struct direct_job {
    const hpc_conv_geom* g;
    const float *x, *w, *bias;
    int relu;
    float* y;
} direct_job;

static void direct_task(void* arg, int64_t b, int32_t worker) {
    direct_job* j = (direct_job*)arg;
    const hpc_conv_geom* g = j->g;
    hpc_conv_direct_image_avx2(g, j->x + b * g->c * g->h * g->w, j->w, j->bias, j->relu, j->y + b * g->k * g->ohw);
}

static int32_t threads_for(const hpc_ctx* ctx, int64_t ntasks) {
    return ntasks < ctx->threads ? (int32_t)(ntasks > 0 ? ntasks : 1) : ctx->threads;
}

/* The channel-vectorised direct kernel's domain: a SIMD path, at least 8 filters (one full
 * vector) and images of up to 1024 pixels. Measured at 1 thread against the im2col GEMM: LeNet's
 * second layer (c r s = 800, 196 pixels) 1.5x, its first (c r s = 25, 784 pixels) 1.3x the
 * pixel-vectorised shallow kernel, a 3x3 layer on 32 x 32 (c r s = 576) on par. */
static int use_direct_oc8(const hpc_ctx* ctx, const hpc_conv_geom* g) {
    hpc_isa isa = hpc_simd_isa(ctx);
    return (isa == HPC_ISA_AVX2 || isa == HPC_ISA_AVX512) && g->k >= 8 && g->ohw <= 1024 && !is_pointwise(g);
}

/* Shallow layers at stride 1 (c r s <= 32: a first layer) with planes of at least 8 pixels use the
 * pixel-vectorised kernel: on LeNet's first layer it runs 1.3-1.6x the
 * channel-vectorised kernel (A/B in one process), which spends as long transposing 25 taps'
 * outputs back to NCHW as computing them. */
static int use_flat(const hpc_conv_geom* g) { return g->crs <= 32 && g->ohw >= 8 && hpc_conv_flat_supported(g); }

static int64_t round16(int64_t floats) { return (floats + 15) / 16 * 16; }

#define FLAT_FILTERS 16 /* filters per task of the flat kernel */
/* Outputs from this size up are written by the flat kernel with non-temporal stores: past the
 * caches they would go to memory anyway, and streaming skips reading each line before writing it.
 * A/B on LeNet's first layer followed by its max pool (bench/native/conv_ab.c, op 4): at batch 64
 * (6.4 MB) 1.3x at 2 threads and on par at 1; at batch 8 (0.8 MB) streaming lost 6-10%, the pool
 * then reading from memory what it would have found in cache. */
#define FLAT_STREAM_BYTES ((int64_t)4 << 20)

/* Every image of x padded into xpad (c planes of hp x wp each, or channel-blocked), one task per
 * image: the staging all the direct kernels share. */
typedef struct pad_job {
    const hpc_conv_geom* g;
    const float* x;
    float* xpad;
    int64_t hp, wp;
    int blocked;
} pad_job;

/* Image b of x padded into xp: plane by plane, or channel-blocked. */
static void pad_image(const hpc_conv_geom* g, const float* x, int64_t b, float* xp, int64_t hp, int64_t wp, int blocked) {
    const float* img = x + b * g->c * g->h * g->w;
    if (blocked) hpc_conv_oc8_pad_image_blocked(g, img, xp, hp, wp);
    else hpc_conv_oc8_pad_image(g, img, xp, hp, wp);
}

static void pad_task(void* arg, int64_t b, int32_t worker) {
    pad_job* j = (pad_job*)arg;
    pad_image(j->g, j->x, b, j->xpad + b * j->g->c * j->hp * j->wp, j->hp, j->wp, j->blocked);
}

static hpc_status pad_batch(hpc_ctx* ctx, const hpc_conv_geom* g, const float* x, float* xpad, int64_t hp, int64_t wp,
                            int blocked) {
    pad_job j = {g, x, xpad, hp, wp, blocked};
    return hpc_parallel_for(ctx, g->n, threads_for(ctx, g->n), pad_task, &j);
}

typedef struct oc8_job {
    const hpc_conv_geom* g;
    const float *x, *wb, *bias;
    int relu;
    float *xpad, *y;
    int64_t hp, wp, kblocks, xslice; /* xslice: floats of one worker's padded image */
    int blocked;                     /* images and weights channel-blocked */
} oc8_job;

typedef struct flat_job {
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
    hpc_conv_flat_stage_image(g, j->x + b * g->c * g->h * g->w, st);
    hpc_conv_flat_image_avx2(g, st, j->w, j->bias, j->relu, k0, g->k - k0 < j->per ? g->k - k0 : j->per,
                             j->y + b * g->k * g->ohw, j->stream);
}

/* The pixel-vectorised forward: one task per image, or per (image, 16 filters) when the batch is
 * too small to give every thread two images; each task stages its image into its worker's slice
 * of the context's workspace (a few KB) and reads the weights as given. */
static hpc_status run_direct_flat(hpc_ctx* ctx, const hpc_conv_geom* g, const float* x, const float* w,
                                  const float* bias, int relu, float* y) {
    flat_job j = {.g = g, .x = x, .w = w, .bias = bias, .relu = relu, .y = y};
    j.per = g->n >= 2 * ctx->threads ? g->k : FLAT_FILTERS;
    j.stream = g->n * g->k * g->ohw * (int64_t)sizeof(float) >= FLAT_STREAM_BYTES;
    int64_t ntasks = g->n * ((g->k + j.per - 1) / j.per);
    int32_t threads = threads_for(ctx, ntasks);
    j.stage_floats = round16(hpc_conv_flat_stage_floats(g));
    j.stage = (float*)hpc_ctx_workspace(ctx, (size_t)(threads * j.stage_floats) * sizeof(float));
    if (!j.stage) return hpc_fail(ctx, HPC_STATUS_OUT_OF_MEMORY, "hpc_conv2d: cannot allocate %lld bytes",
                                  (long long)(threads * j.stage_floats * 4));
    return hpc_parallel_for(ctx, ntasks, threads, flat_task, &j);
}

static void oc8_task(void* arg, int64_t t, int32_t worker) {
    oc8_job* j = (oc8_job*)arg;
    const hpc_conv_geom* g = j->g;
    int64_t per = hpc_conv_oc8_blocks_per_task(g), groups = (j->kblocks + per - 1) / per;
    int64_t b = t / groups, kb = t % groups * per;
    int nkb = (int)(j->kblocks - kb < per ? j->kblocks - kb : per);
    hpc_conv_oc8_block_avx2(g, j->xpad + b * g->c * j->hp * j->wp, j->wb, j->bias, j->relu, kb, nkb, j->blocked,
                            j->y + b * g->k * g->ohw);
}

/* A whole image: padded into the worker's own slice, then every filter block from it. */
static void oc8_image_task(void* arg, int64_t b, int32_t worker) {
    oc8_job* j = (oc8_job*)arg;
    const hpc_conv_geom* g = j->g;
    float* xp = j->xpad + worker * j->xslice;
    pad_image(g, j->x, b, xp, j->hp, j->wp, j->blocked);
    for (int64_t kb = 0, per = hpc_conv_oc8_blocks_per_task(g); kb < j->kblocks; kb += per)
        hpc_conv_oc8_block_avx2(g, xp, j->wb, j->bias, j->relu, kb, (int)(j->kblocks - kb < per ? j->kblocks - kb : per),
                                j->blocked, j->y + b * g->k * g->ohw);
}

/* Weights reordered into the context's workspace, then, when the batch gives every thread two
 * images or more, one task per image, each padding its image into its worker's slice of the
 * workspace (it stays in L2 for all its filter blocks; staging the padded batch first, 19 MB for
 * 64 images of 64 x 34 x 34, took the 3x3 layer from 80 GFLOP/s at batch 1 to 64 at batch 64);
 * else every image padded once, then one task per (image, 8-filter blocks), so a single image
 * (batch-1 inference) still spreads over the threads. Every output is computed by one task in a
 * fixed order: results never depend on the partition. */
static hpc_status run_direct_oc8(hpc_ctx* ctx, const hpc_conv_geom* g, const float* x, const float* w,
                                 const hpc_conv_geom* flip_of, const float* bias, int relu, float* y) {
    oc8_job j = {.g = g, .x = x, .bias = bias, .relu = relu, .y = y, .kblocks = hpc_conv_oc_blocks(g->k)};
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
    int64_t per = hpc_conv_oc8_blocks_per_task(g), ntasks = g->n * ((j.kblocks + per - 1) / per);
    return hpc_parallel_for(ctx, ntasks, threads_for(ctx, ntasks), oc8_task, &j);
}

/* The direct weight gradient: every SIMD path for the geometries its kernel takes (1x1 layers
 * keep their plain GEMM). */
static int use_wgrad_oc8(const hpc_ctx* ctx, const hpc_conv_geom* g) {
    hpc_isa isa = hpc_simd_isa(ctx);
    return (isa == HPC_ISA_AVX2 || isa == HPC_ISA_AVX512) && !is_pointwise(g) && hpc_conv_oc8_wgrad_supported(g);
}

typedef struct wgrad_oc8_job {
    const hpc_conv_geom* g;
    const float* dy;
    float *xpad, *dyt, *dwb, *dw;
    int64_t hp, wp, per, kgroups, cper;
} wgrad_oc8_job;

static void wgrad_oc8_stage_task(void* arg, int64_t b, int32_t worker) {
    wgrad_oc8_job* j = (wgrad_oc8_job*)arg;
    const hpc_conv_geom* g = j->g;
    hpc_conv_oc8_stage_dy(g, j->dy + b * g->k * g->ohw, j->dyt + b * hpc_conv_oc_blocks(g->k) * g->ohw * HPC_CONV_OC);
}

static void wgrad_oc8_task(void* arg, int64_t t, int32_t worker) {
    wgrad_oc8_job* j = (wgrad_oc8_job*)arg;
    const hpc_conv_geom* g = j->g;
    int64_t kblocks = hpc_conv_oc_blocks(g->k), kb = t % j->kgroups * j->per, c0 = t / j->kgroups * j->cper;
    int64_t c1 = c0 + j->cper < g->c ? c0 + j->cper : g->c;
    int nkb = (int)(kblocks - kb < j->per ? kblocks - kb : j->per);
    hpc_conv_oc8_wgrad_task_avx2(g, j->xpad, j->hp, j->wp, j->dyt, kb, nkb, c0, c1, j->dwb, j->dw);
}

/* Stages the whole batch (padded inputs, pixel-major dy) in the context's workspace, then one task
 * per (pair of 8-filter blocks, group of channels): groups small enough for about four tasks a
 * thread, no smaller, since every task reads the whole batch's dy for its filters. */
static hpc_status run_wgrad_oc8(hpc_ctx* ctx, const hpc_conv_geom* g, const float* x, const float* dy, float* dw) {
    wgrad_oc8_job j = {.g = g, .dy = dy, .dw = dw, .per = hpc_conv_oc8_wgrad_blocks_per_task(g)};
    hpc_conv_oc8_padded_dims(g, &j.hp, &j.wp);
    int64_t kblocks = hpc_conv_oc_blocks(g->k);
    int64_t xfloats = g->n * g->c * j.hp * j.wp, dfloats = g->n * kblocks * g->ohw * HPC_CONV_OC;
    int64_t sfloats = kblocks * HPC_CONV_OC * g->crs;
    float* buf = (float*)hpc_ctx_workspace(ctx, (size_t)(xfloats + dfloats + sfloats) * sizeof(float));
    if (!buf) return hpc_fail(ctx, HPC_STATUS_OUT_OF_MEMORY, "hpc_conv2d_backward_weights: cannot allocate %lld bytes",
                              (long long)((xfloats + dfloats + sfloats) * 4));
    j.xpad = buf, j.dyt = buf + xfloats, j.dwb = j.dyt + dfloats;
    hpc_status st = pad_batch(ctx, g, x, j.xpad, j.hp, j.wp, 0);
    if (st == HPC_STATUS_OK) st = hpc_parallel_for(ctx, g->n, threads_for(ctx, g->n), wgrad_oc8_stage_task, &j);
    if (st != HPC_STATUS_OK) return st;
    j.kgroups = (kblocks + j.per - 1) / j.per;
    int64_t want = 4 * (int64_t)ctx->threads, cgroups = (want + j.kgroups - 1) / j.kgroups;
    if (cgroups > g->c) cgroups = g->c;
    j.cper = (g->c + cgroups - 1) / cgroups;
    int64_t ntasks = j.kgroups * ((g->c + j.cper - 1) / j.cper);
    return hpc_parallel_for(ctx, ntasks, threads_for(ctx, ntasks), wgrad_oc8_task, &j);
}

/* The pixel-vectorised weight gradient: the flat forward's layers (a first layer). */
static int use_wgrad_flat(const hpc_ctx* ctx, const hpc_conv_geom* g) {
    hpc_isa isa = hpc_simd_isa(ctx);
    return (isa == HPC_ISA_AVX2 || isa == HPC_ISA_AVX512) && g->crs <= 32 && hpc_conv_flat_wgrad_supported(g);
}

typedef struct wgrad_flat_job {
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
    hpc_conv_flat_wgrad_task_avx2(g, j->xpad, j->hp, j->wp, j->dy, k0, k1, c, j->stage + t * j->stage_floats,
                                  j->sums, j->bias_sums, j->dw, c == 0 ? j->db : NULL);
}

/* Pads the inputs in the context's workspace, then one task per (range of filters, channel):
 * about two tasks a thread, each walking the batch once and staging its own filters' dy, which
 * also gives the bias gradient (db, may be null) without a pass of its own over dy. */
static hpc_status run_wgrad_flat(hpc_ctx* ctx, const hpc_conv_geom* g, const float* x, const float* dy, float* dw,
                                 float* db) {
    wgrad_flat_job j = {.g = g, .dy = dy, .dw = dw, .db = db};
    hpc_conv_oc8_padded_dims(g, &j.hp, &j.wp);
    int64_t per = hpc_conv_flat_wgrad_filters(g), blocks = (g->k + per - 1) / per;
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
    hpc_status st = pad_batch(ctx, g, x, j.xpad, j.hp, j.wp, 0);
    if (st != HPC_STATUS_OK) return st;
    return hpc_parallel_for(ctx, ntasks, threads_for(ctx, ntasks), wgrad_flat_task, &j);
}

/* At stride 1, dx is the stride-1 convolution of dy (k channels) with the flipped kernel
 * transposed (c filters), padded by d (r - 1) - p. The geometry of that convolution, when it
 * exists (the padding must not exceed the dilated kernel, or dx would need cropping). */
static int transposed_geom(const hpc_conv_geom* g, hpc_conv_geom* t) {
    int64_t ph = g->dh * (g->r - 1) - g->ph, pw = g->dw * (g->s - 1) - g->pw;
    if (g->sh != 1 || g->sw != 1 || ph < 0 || pw < 0) return 0;
    *t = *g;
    t->c = g->k, t->h = g->oh, t->w = g->ow, t->k = g->c;
    t->ph = ph, t->pw = pw;
    t->oh = g->h, t->ow = g->w, t->ohw = g->h * g->w;
    t->crs = g->k * g->r * g->s;
    return 1;
}

static int64_t workspace_need(const hpc_conv_geom* g) {
    return is_pointwise(g) ? 0 : g->crs * g->ohw * (int64_t)sizeof(float);
}

/* Validates the workspace and returns in *tile the output pixels one im2col pass covers. */
static hpc_status conv_tile(hpc_ctx* ctx, const char* fn, const hpc_conv_geom* g, const void* ws, int64_t ws_bytes,
                            int64_t* tile) {
    if (ws_bytes < 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: workspace_bytes = %lld is negative", fn,
                        (long long)ws_bytes);
    *tile = g->ohw;
    if (is_pointwise(g)) return HPC_STATUS_OK;
    int64_t col_bytes = g->crs * (int64_t)sizeof(float);
    if (ws_bytes < col_bytes)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                        "%s: workspace_bytes = %lld is too small: c*r*s = %lldx%lldx%lld needs at least %lld bytes "
                        "(%lld for the whole %lldx%lld output)",
                        fn, (long long)ws_bytes, (long long)g->c, (long long)g->r, (long long)g->s, (long long)col_bytes,
                        (long long)workspace_need(g), (long long)g->oh, (long long)g->ow);
    if (!ws) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: workspace is null", fn);
    if (ws_bytes / col_bytes < *tile) *tile = ws_bytes / col_bytes;
    return HPC_STATUS_OK;
}


/* ---- parallel passes ---- */

typedef struct im2col_job {
    const hpc_conv_geom* g;
    hpc_im2col_fn fn;
    const float* x_img;
    int64_t p0, np;
    float* col;
} im2col_job;

static void im2col_task(void* arg, int64_t task, int32_t worker) {
    im2col_job* j = (im2col_job*)arg;
    j->fn(j->g, j->x_img, task / j->g->r, task % j->g->r, j->p0, j->np, j->col);
}

static hpc_status run_im2col(hpc_ctx* ctx, const hpc_conv_geom* g, hpc_im2col_fn fn, const float* x_img, int64_t p0,
                             int64_t np, float* col) {
    im2col_job j = {g, fn, x_img, p0, np, col};
    int64_t ntasks = g->c * g->r;
    return hpc_parallel_for(ctx, ntasks, threads_for(ctx, ntasks), im2col_task, &j);
}

typedef struct col2im_job {
    const hpc_conv_geom* g;
    hpc_col2im_fn fn;
    const float* col;
    int64_t p0, np;
    float* dx_img;
} col2im_job;

static void col2im_task(void* arg, int64_t task, int32_t worker) {
    col2im_job* j = (col2im_job*)arg;
    j->fn(j->g, j->col, task, j->p0, j->np, j->dx_img);
}

typedef struct bias_grad_job {
    const float* dy;
    int64_t n, k, len;
    float* db;
} bias_grad_job;

/* db[k] in double, images then pixels in order, into 8 partial sums by pixel index (one chain of
 * dependent adds cost 4 cycles an element: 2.6 ms of LeNet's first layer): one task owns one
 * filter, so the sum is the same whichever thread runs it. */
static void bias_grad_task(void* arg, int64_t task, int32_t worker) {
    bias_grad_job* j = (bias_grad_job*)arg;
    double acc[8] = {0};
    for (int64_t b = 0; b < j->n; b++) {
        const float* p = j->dy + (b * j->k + task) * j->len;
        int64_t i = 0;
        for (; i + 8 <= j->len; i += 8)
            for (int l = 0; l < 8; l++) acc[l] += p[i + l];
        for (; i < j->len; i++) acc[i & 7] += p[i];
    }
    j->db[task] = (float)(((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])));
}

/* dw = sum over images and pixel tiles of dy_tile im2col(x)_tile^T, accumulated by the GEMM in
 * image-then-tile order (beta = 0 on the very first product). */
static hpc_status wgrad_gemm(hpc_ctx* ctx, const hpc_conv_geom* g, hpc_conv_kernels kern, const float* x,
                             const float* dy, float* dw, float* col, int64_t tile) {
    hpc_status st;
    float beta = 0.0f;
    for (int64_t b = 0; b < g->n; b++) {
        const float* xb = x + b * g->c * g->h * g->w;
        const float* dyb = dy + b * g->k * g->ohw;
        if (is_pointwise(g)) {
            st = hpc_sgemm(ctx, HPC_NO_TRANS, HPC_TRANS, g->k, g->c, g->ohw, 1.0f, dyb, g->ohw, xb, g->ohw, beta, dw,
                           g->c);
            if (st != HPC_STATUS_OK) return st;
            beta = 1.0f;
            continue;
        }
        for (int64_t p0 = 0; p0 < g->ohw; p0 += tile) {
            int64_t np = g->ohw - p0 < tile ? g->ohw - p0 : tile;
            if ((st = run_im2col(ctx, g, kern.im2col, xb, p0, np, col)) != HPC_STATUS_OK) return st;
            st = hpc_sgemm(ctx, HPC_NO_TRANS, HPC_TRANS, g->k, g->crs, np, 1.0f, dyb + p0, g->ohw, col, np, beta, dw,
                           g->crs);
            if (st != HPC_STATUS_OK) return st;
            beta = 1.0f;
        }
    }
    return HPC_STATUS_OK;
}

/* Shallow layers (c r s <= 75): one GEMM per image is too small to split across threads (the
 * threads would meet once per image for microseconds of work). Instead the filters are cut into
 * fixed chunks of WGRAD_ROWS, each a task reducing the whole batch in image order with a serial
 * (nested) GEMM on its own im2col buffer. The partition never depends on the thread count, so
 * neither do the results; the workspace only bounds how many chunks run at once. */
#define WGRAD_ROWS 16

static int use_chunked_wgrad(const hpc_conv_geom* g, int64_t ws_bytes) {
    return !is_pointwise(g) && g->crs <= 75 && g->k > WGRAD_ROWS &&
           ws_bytes / (g->crs * g->ohw * (int64_t)sizeof(float)) >= 1;
}

typedef struct wgrad_job {
    const hpc_conv_geom* g;
    hpc_ctx* ctx;
    hpc_im2col_fn im2col;
    const float *x, *dy;
    float *dw, *ws;
    hpc_status status[1024];
} wgrad_job;

static void wgrad_chunk_task(void* arg, int64_t t, int32_t worker) {
    wgrad_job* j = (wgrad_job*)arg;
    const hpc_conv_geom* g = j->g;
    int64_t k0 = t * WGRAD_ROWS, kn = g->k - k0 < WGRAD_ROWS ? g->k - k0 : WGRAD_ROWS;
    float* col = j->ws + (int64_t)worker * g->crs * g->ohw;
    for (int64_t b = 0; b < g->n; b++) {
        const float* xb = j->x + b * g->c * g->h * g->w;
        for (int64_t ci = 0; ci < g->c; ci++)
            for (int64_t ri = 0; ri < g->r; ri++) j->im2col(g, xb, ci, ri, 0, g->ohw, col);
        hpc_status st = hpc_sgemm(j->ctx, HPC_NO_TRANS, HPC_TRANS, kn, g->crs, g->ohw, 1.0f,
                                  j->dy + (b * g->k + k0) * g->ohw, g->ohw, col, g->ohw, b == 0 ? 0.0f : 1.0f,
                                  j->dw + k0 * g->crs, g->crs);
        if (st != HPC_STATUS_OK) {
            j->status[worker] = st;
            return;
        }
    }
}

/* ---- public entry points ---- */

HPC_API hpc_status hpc_conv2d_output_size(hpc_ctx* ctx, const hpc_conv2d_desc* desc, int64_t* out_h,
                                          int64_t* out_w) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_PTR(ctx, out_h);
    HPC_CHECK_PTR(ctx, out_w);
    hpc_conv_geom g;
    hpc_status st = conv_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    *out_h = g.oh;
    *out_w = g.ow;
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_conv2d_workspace_size(hpc_ctx* ctx, const hpc_conv2d_desc* desc, int64_t* bytes) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_PTR(ctx, bytes);
    hpc_conv_geom g;
    hpc_status st = conv_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    *bytes = workspace_need(&g);
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_conv2d_forward(hpc_ctx* ctx, const hpc_conv2d_desc* desc, const float* x, const float* w,
                                      const float* bias, hpc_activation act, float* y, void* workspace,
                                      int64_t workspace_bytes) {
    HPC_CHECK_CTX(ctx);
    hpc_conv_geom g;
    hpc_status st = conv_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    /* IDENTITY..TANH ride in the GEMM write-back; STEP, ARCTAN and SOFTPLUS take a second pass;
     * LEAKY_RELU needs a slope this call does not take. */
    int fused = act >= HPC_ACT_IDENTITY && act <= HPC_ACT_TANH;
    if (!fused && act != HPC_ACT_STEP && act != HPC_ACT_ARCTAN && act != HPC_ACT_SOFTPLUS) {
        if (act == HPC_ACT_LEAKY_RELU)
            return hpc_fail(ctx, HPC_STATUS_UNSUPPORTED,
                            "%s: act = LEAKY_RELU needs a slope: convolve with HPC_ACT_IDENTITY, then "
                            "hpc_bias_act_forward", __func__);
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: act = %d is not an hpc_activation", __func__, (int)act);
    }
    hpc_activation gemm_act = fused ? act : HPC_ACT_IDENTITY;
    hpc_bias_mode bias_mode = bias ? HPC_BIAS_ROW : HPC_BIAS_NONE;
    /* Shallow layers accept any workspace (documented), whichever direct kernel then runs. */
    int shallow = use_direct(ctx, &g, act), oc8 = use_direct_oc8(ctx, &g), direct = shallow && !oc8;
    int64_t tile = g.ohw;
    if (shallow && workspace_bytes < 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: workspace_bytes = %lld is negative", __func__,
                        (long long)workspace_bytes);
    if (!shallow && (st = conv_tile(ctx, __func__, &g, workspace, workspace_bytes, &tile)) != HPC_STATUS_OK) return st;
    if (g.n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, x);
    HPC_CHECK_PTR(ctx, w);
    HPC_CHECK_PTR(ctx, y);

    if (direct) {
        /* One image per task: each output is computed by one fixed sequence whatever the threads. */
        direct_job j = {&g, x, w, bias, act == HPC_ACT_RELU, y};
        return hpc_parallel_for(ctx, g.n, threads_for(ctx, g.n), direct_task, &j);
    }
    if (oc8) {
        /* the shallowest of these layers take the pixel-vectorised kernel */
        st = use_flat(&g) ? run_direct_flat(ctx, &g, x, w, bias, act == HPC_ACT_RELU, y)
                          : run_direct_oc8(ctx, &g, x, w, NULL, bias, act == HPC_ACT_RELU, y);
        if (st != HPC_STATUS_OK) return st;
        if (act != HPC_ACT_IDENTITY && act != HPC_ACT_RELU)
            return hpc_bias_act_forward(ctx, act, 0.0f, 1, g.n * g.k * g.ohw, y, NULL, y);
        return HPC_STATUS_OK;
    }
    hpc_conv_kernels kern = hpc_conv_kernels_for(ctx);
    float* col = (float*)workspace;
    for (int64_t b = 0; b < g.n; b++) {
        const float* xb = x + b * g.c * g.h * g.w;
        float* yb = y + b * g.k * g.ohw;
        if (is_pointwise(&g)) {
            st = hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, HPC_NO_TRANS, g.k, g.ohw, g.c, 1.0f, w, g.c, xb, g.ohw, 0.0f,
                                    yb, g.ohw, bias, bias_mode, gemm_act);
            if (st != HPC_STATUS_OK) return st;
        } else {
            for (int64_t p0 = 0; p0 < g.ohw; p0 += tile) {
                int64_t np = g.ohw - p0 < tile ? g.ohw - p0 : tile;
                if ((st = run_im2col(ctx, &g, kern.im2col, xb, p0, np, col)) != HPC_STATUS_OK) return st;
                st = hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, HPC_NO_TRANS, g.k, np, g.crs, 1.0f, w, g.crs, col, np,
                                        0.0f, yb + p0, g.ohw, bias, bias_mode, gemm_act);
                if (st != HPC_STATUS_OK) return st;
            }
        }
        if (!fused && (st = hpc_bias_act_forward(ctx, act, 0.0f, 1, g.k * g.ohw, yb, NULL, yb)) != HPC_STATUS_OK)
            return st;
    }
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_conv2d_backward_data(hpc_ctx* ctx, const hpc_conv2d_desc* desc, const float* dy,
                                            const float* w, float* dx, void* workspace, int64_t workspace_bytes) {
    HPC_CHECK_CTX(ctx);
    hpc_conv_geom g;
    hpc_status st = conv_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    int64_t tile;
    if ((st = conv_tile(ctx, __func__, &g, workspace, workspace_bytes, &tile)) != HPC_STATUS_OK) return st;
    if (g.n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, dy);
    HPC_CHECK_PTR(ctx, w);
    HPC_CHECK_PTR(ctx, dx);

    hpc_conv_geom tg;
    if (transposed_geom(&g, &tg) && use_direct_oc8(ctx, &tg)) return run_direct_oc8(ctx, &tg, dy, w, &g, NULL, 0, dx);
    hpc_conv_kernels kern = hpc_conv_kernels_for(ctx);
    float* col = (float*)workspace;
    int64_t plane = g.c * g.h * g.w;
    for (int64_t b = 0; b < g.n; b++) {
        const float* dyb = dy + b * g.k * g.ohw;
        float* dxb = dx + b * plane;
        if (is_pointwise(&g)) {
            st = hpc_sgemm(ctx, HPC_TRANS, HPC_NO_TRANS, g.c, g.ohw, g.k, 1.0f, w, g.c, dyb, g.ohw, 0.0f, dxb, g.ohw);
            if (st != HPC_STATUS_OK) return st;
            continue;
        }
        memset(dxb, 0, (size_t)plane * sizeof(float));
        for (int64_t p0 = 0; p0 < g.ohw; p0 += tile) {
            int64_t np = g.ohw - p0 < tile ? g.ohw - p0 : tile;
            st = hpc_sgemm(ctx, HPC_TRANS, HPC_NO_TRANS, g.crs, np, g.k, 1.0f, w, g.crs, dyb + p0, g.ohw, 0.0f, col,
                           np);
            if (st != HPC_STATUS_OK) return st;
            col2im_job j = {&g, kern.col2im, col, p0, np, dxb};
            if ((st = hpc_parallel_for(ctx, g.c, threads_for(ctx, g.c), col2im_task, &j)) != HPC_STATUS_OK) return st;
        }
    }
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_conv2d_backward_weights(hpc_ctx* ctx, const hpc_conv2d_desc* desc, const float* x,
                                               const float* dy, float* dw, float* db, void* workspace,
                                               int64_t workspace_bytes) {
    HPC_CHECK_CTX(ctx);
    hpc_conv_geom g;
    hpc_status st = conv_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    int64_t tile;
    if ((st = conv_tile(ctx, __func__, &g, workspace, workspace_bytes, &tile)) != HPC_STATUS_OK) return st;
    HPC_CHECK_PTR(ctx, dw);
    if (g.n > 0) {
        HPC_CHECK_PTR(ctx, x);
        HPC_CHECK_PTR(ctx, dy);
    }
    if (g.n == 0) {
        memset(dw, 0, (size_t)(g.k * g.crs) * sizeof(float));
        if (db) memset(db, 0, (size_t)g.k * sizeof(float));
        return HPC_STATUS_OK;
    }

    if (use_wgrad_flat(ctx, &g)) return run_wgrad_flat(ctx, &g, x, dy, dw, db);
    if (use_wgrad_oc8(ctx, &g)) {
        if ((st = run_wgrad_oc8(ctx, &g, x, dy, dw)) != HPC_STATUS_OK) return st;
    } else if (use_chunked_wgrad(&g, workspace_bytes)) {
        int64_t chunks = (g.k + WGRAD_ROWS - 1) / WGRAD_ROWS;
        int64_t slots = workspace_bytes / (g.crs * g.ohw * (int64_t)sizeof(float));
        int32_t nt = threads_for(ctx, chunks < slots ? chunks : slots);
        wgrad_job j = {.g = &g, .ctx = ctx, .im2col = hpc_conv_kernels_for(ctx).im2col, .x = x, .dy = dy, .dw = dw,
                       .ws = (float*)workspace};
        if ((st = hpc_parallel_for(ctx, chunks, nt, wgrad_chunk_task, &j)) != HPC_STATUS_OK) return st;
        for (int32_t w = 0; w < nt; w++)
            if (j.status[w] != HPC_STATUS_OK) return j.status[w];
    } else {
        st = wgrad_gemm(ctx, &g, hpc_conv_kernels_for(ctx), x, dy, dw, (float*)workspace, tile);
        if (st != HPC_STATUS_OK) return st;
    }
    if (db) {
        bias_grad_job j = {dy, g.n, g.k, g.ohw, db};
        if ((st = hpc_parallel_for(ctx, g.k, threads_for(ctx, g.k), bias_grad_task, &j)) != HPC_STATUS_OK) return st;
    }
    return HPC_STATUS_OK;
}
