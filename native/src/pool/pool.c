/* hpc_maxpool2d_* / hpc_avgpool2d_*: validation, then tasks of whole (image, channel) planes on the
 * context's threads. Each plane is owned by one task, so results never depend on the thread count. */
#include "pool/pool_internal.h"
#include <string.h>

#define HPC_POOL_FIELD_MAX 2147483647LL

static hpc_status pool_geom(hpc_ctx* ctx, const char* fn, const hpc_pool2d_desc* d, hpc_pool_geom* g) {
    if (!d) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: desc is null", fn);
#define FIELD(f, min)                                                                                              \
    if (d->f < (min) || d->f > HPC_POOL_FIELD_MAX)                                                                 \
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: desc->%s = %lld is out of range [%lld, 2^31 - 1]", fn, \
                        #f, (long long)d->f, (long long)(min));
    FIELD(n, 0) FIELD(c, 0) FIELD(h, 1) FIELD(w, 1) FIELD(window_h, 1) FIELD(window_w, 1) FIELD(stride_h, 1)
    FIELD(stride_w, 1) FIELD(pad_h, 0) FIELD(pad_w, 0)
#undef FIELD
    if (d->pad_h >= d->window_h || d->pad_w >= d->window_w)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                        "%s: pad %lld,%lld must be smaller than the window %lldx%lld (a window of padding only has "
                        "no value)",
                        fn, (long long)d->pad_h, (long long)d->pad_w, (long long)d->window_h, (long long)d->window_w);
    int64_t hp = d->h + 2 * d->pad_h, wp = d->w + 2 * d->pad_w;
    if (d->window_h > hp || d->window_w > wp)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                        "%s: window %lldx%lld is larger than the padded input %lldx%lld (input %lldx%lld, pad %lld,%lld)",
                        fn, (long long)d->window_h, (long long)d->window_w, (long long)hp, (long long)wp,
                        (long long)d->h, (long long)d->w, (long long)d->pad_h, (long long)d->pad_w);
    int64_t t;
    if (hpc_mul_overflow(d->h, d->w, &t) || t > HPC_POOL_FIELD_MAX)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                        "%s: plane %lldx%lld has more than 2^31 - 1 pixels (argmax indices are int32)", fn,
                        (long long)d->h, (long long)d->w);
    if (hpc_mul_overflow(d->n, d->c, &t) || hpc_mul_overflow(t, d->h * d->w, &t))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: n * c * h * w = %lld * %lld * %lld * %lld overflows int64",
                        fn, (long long)d->n, (long long)d->c, (long long)d->h, (long long)d->w);
    g->n = d->n, g->c = d->c, g->h = d->h, g->w = d->w, g->wh = d->window_h, g->ww = d->window_w;
    g->sh = d->stride_h, g->sw = d->stride_w, g->ph = d->pad_h, g->pw = d->pad_w;
    g->oh = (hp - g->wh) / g->sh + 1;
    g->ow = (wp - g->ww) / g->sw + 1;
    return HPC_STATUS_OK;
}

/* Planes per task: at least 16K input pixels a task, so small planes (LeNet's 14 x 14) do not pay
 * a dispatch each (4096 tasks of 196 pixels took longer at 2 threads than at 1). */
#define POOL_TASK_PIXELS 16384
static int64_t planes_per_task(const hpc_pool_geom* g) {
    int64_t per = POOL_TASK_PIXELS / (g->h * g->w);
    return per > 1 ? per : 1;
}

/* Runs fn(j, plane) for every plane, planes_per_task of them a task. */
typedef void (*pool_plane_fn)(void* arg, int64_t plane);
typedef struct planes_job {
    pool_plane_fn fn;
    void* arg;
    int64_t planes, per;
} planes_job;

static void planes_task(void* arg, int64_t t, int32_t worker) {
    planes_job* pj = (planes_job*)arg;
    int64_t p1 = (t + 1) * pj->per < pj->planes ? (t + 1) * pj->per : pj->planes;
    for (int64_t p = t * pj->per; p < p1; p++) pj->fn(pj->arg, p);
}

static hpc_status for_planes(hpc_ctx* ctx, const hpc_pool_geom* g, pool_plane_fn fn, void* arg) {
    planes_job pj = {fn, arg, g->n * g->c, planes_per_task(g)};
    int64_t ntasks = (pj.planes + pj.per - 1) / pj.per;
    return hpc_parallel_for(ctx, ntasks, hpc_threads_for(ctx, ntasks), planes_task, &pj);
}

typedef struct pool_job {
    const hpc_pool_geom* g;
    hpc_maxpool_plane_fn max_fn;
    hpc_avgpool_plane_fn avg_fn;
    int include_pad;
    const float* in;
    const int32_t* argmax_in;
    float* out;
    int32_t* argmax_out;
    int bad; /* set (never cleared) by a backward task that met an argmax outside its plane */
} pool_job;

static void maxpool_fwd_task(void* arg, int64_t p) {
    pool_job* j = (pool_job*)arg;
    int64_t in_plane = j->g->h * j->g->w, out_plane = j->g->oh * j->g->ow;
    j->max_fn(j->g, j->in + p * in_plane, j->out + p * out_plane, j->argmax_out ? j->argmax_out + p * out_plane : NULL);
}

static void avgpool_fwd_task(void* arg, int64_t p) {
    pool_job* j = (pool_job*)arg;
    int64_t in_plane = j->g->h * j->g->w, out_plane = j->g->oh * j->g->ow;
    j->avg_fn(j->g, j->include_pad, j->in + p * in_plane, j->out + p * out_plane);
}

static void maxpool_bwd_task(void* arg, int64_t p) {
    pool_job* j = (pool_job*)arg;
    int64_t in_plane = j->g->h * j->g->w, out_plane = j->g->oh * j->g->ow;
    const float* dy = j->in + p * out_plane;
    const int32_t* am = j->argmax_in + p * out_plane;
    float* dx = j->out + p * in_plane;
    memset(dx, 0, (size_t)in_plane * sizeof(float));
    for (int64_t i = 0; i < out_plane; i++) {
        if (am[i] < 0 || am[i] >= in_plane) {
            __atomic_store_n(&j->bad, 1, __ATOMIC_RELAXED);
            return;
        }
        dx[am[i]] += dy[i];
    }
}

static void avgpool_bwd_task(void* arg, int64_t p) {
    pool_job* j = (pool_job*)arg;
    const hpc_pool_geom* g = j->g;
    int64_t in_plane = g->h * g->w, out_plane = g->oh * g->ow;
    const float* dy = j->in + p * out_plane;
    float* dx = j->out + p * in_plane;
    memset(dx, 0, (size_t)in_plane * sizeof(float));
    for (int64_t oh = 0; oh < g->oh; oh++)
        for (int64_t ow = 0; ow < g->ow; ow++) {
            int64_t h0, h1, w0, w1;
            hpc_pool_span(oh, g->sh, g->ph, g->wh, g->h, &h0, &h1);
            hpc_pool_span(ow, g->sw, g->pw, g->ww, g->w, &w0, &w1);
            float v = dy[oh * g->ow + ow] / hpc_avgpool_count(g, j->include_pad, oh, ow);
            for (int64_t ih = h0; ih < h1; ih++)
                for (int64_t iw = w0; iw < w1; iw++) dx[ih * g->w + iw] += v;
        }
}

static void pick_kernels(const hpc_ctx* ctx, pool_job* j) {
    const hpc_pool_kernels* k = ctx->kernels->pool;
    const hpc_maxpool_2x2_kernels* k2 = ctx->kernels->maxpool_2x2;
    j->max_fn = k2 && hpc_maxpool_is_2x2(j->g) ? k2->plane : k->maxpool_plane;
    j->avg_fn = k->avgpool_plane;
}

static hpc_status check_flag(hpc_ctx* ctx, const char* fn, int32_t v) {
    if (v != 0 && v != 1)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: count_include_pad = %d is neither 0 nor 1", fn, (int)v);
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_pool2d_output_size(hpc_ctx* ctx, const hpc_pool2d_desc* desc, int64_t* out_h, int64_t* out_w) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_PTR(ctx, out_h);
    HPC_CHECK_PTR(ctx, out_w);
    hpc_pool_geom g;
    hpc_status st = pool_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    *out_h = g.oh;
    *out_w = g.ow;
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_maxpool2d_forward(hpc_ctx* ctx, const hpc_pool2d_desc* desc, const float* x, float* y,
                                         int32_t* argmax) {
    HPC_CHECK_CTX(ctx);
    hpc_pool_geom g;
    hpc_status st = pool_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    int64_t planes = g.n * g.c;
    if (planes == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, x);
    HPC_CHECK_PTR(ctx, y);
    pool_job j = {.g = &g, .in = x, .out = y, .argmax_out = argmax};
    pick_kernels(ctx, &j);
    return for_planes(ctx, &g, maxpool_fwd_task, &j);
}

HPC_API hpc_status hpc_maxpool2d_backward(hpc_ctx* ctx, const hpc_pool2d_desc* desc, const float* dy,
                                          const int32_t* argmax, float* dx) {
    HPC_CHECK_CTX(ctx);
    hpc_pool_geom g;
    hpc_status st = pool_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    int64_t planes = g.n * g.c;
    if (planes == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, dy);
    HPC_CHECK_PTR(ctx, argmax);
    HPC_CHECK_PTR(ctx, dx);
    pool_job j = {.g = &g, .in = dy, .argmax_in = argmax, .out = dx};
    if ((st = for_planes(ctx, &g, maxpool_bwd_task, &j)) != HPC_STATUS_OK) return st;
    if (j.bad) {
        /* Name the first offending entry; the scan only runs on this error path. */
        int64_t in_plane = g.h * g.w, out_plane = g.oh * g.ow, total = planes * out_plane;
        for (int64_t i = 0; i < total; i++)
            if (argmax[i] < 0 || argmax[i] >= in_plane)
                return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                                "%s: argmax[%lld] = %d is outside its %lldx%lld input plane", __func__, (long long)i,
                                (int)argmax[i], (long long)g.h, (long long)g.w);
    }
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_avgpool2d_forward(hpc_ctx* ctx, const hpc_pool2d_desc* desc, int32_t count_include_pad,
                                         const float* x, float* y) {
    HPC_CHECK_CTX(ctx);
    hpc_pool_geom g;
    hpc_status st = pool_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    if ((st = check_flag(ctx, __func__, count_include_pad)) != HPC_STATUS_OK) return st;
    int64_t planes = g.n * g.c;
    if (planes == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, x);
    HPC_CHECK_PTR(ctx, y);
    pool_job j = {.g = &g, .include_pad = count_include_pad, .in = x, .out = y};
    pick_kernels(ctx, &j);
    return for_planes(ctx, &g, avgpool_fwd_task, &j);
}

HPC_API hpc_status hpc_avgpool2d_backward(hpc_ctx* ctx, const hpc_pool2d_desc* desc, int32_t count_include_pad,
                                          const float* dy, float* dx) {
    HPC_CHECK_CTX(ctx);
    hpc_pool_geom g;
    hpc_status st = pool_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    if ((st = check_flag(ctx, __func__, count_include_pad)) != HPC_STATUS_OK) return st;
    int64_t planes = g.n * g.c;
    if (planes == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, dy);
    HPC_CHECK_PTR(ctx, dx);
    pool_job j = {.g = &g, .include_pad = count_include_pad, .in = dy, .out = dx};
    return for_planes(ctx, &g, avgpool_bwd_task, &j);
}
