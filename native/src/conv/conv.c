/* hpc_conv2d_*: validation, then the first algorithm of the direction's list that takes the call
 * (conv_algorithms.c). */
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

/* Validates the caller's workspace for algorithm a. */
static hpc_status check_workspace(hpc_ctx* ctx, const char* fn, const hpc_conv_geom* g, const hpc_conv_algorithm* a,
                                  const void* ws, int64_t ws_bytes) {
    if (ws_bytes < 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: workspace_bytes = %lld is negative", fn,
                        (long long)ws_bytes);
    int64_t full, minimum;
    a->workspace(g, &full, &minimum);
    if (minimum == 0) return HPC_STATUS_OK;
    if (ws_bytes < minimum)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                        "%s: workspace_bytes = %lld is too small: c*r*s = %lldx%lldx%lld needs at least %lld bytes "
                        "(%lld for the whole %lldx%lld output)",
                        fn, (long long)ws_bytes, (long long)g->c, (long long)g->r, (long long)g->s, (long long)minimum,
                        (long long)full, (long long)g->oh, (long long)g->ow);
    if (!ws) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: workspace is null", fn);
    return HPC_STATUS_OK;
}

/* The forward's activations: IDENTITY..SOFTPLUS but LEAKY_RELU, which needs a slope. */
static hpc_status check_forward_act(hpc_ctx* ctx, const char* fn, hpc_activation act) {
    if ((act >= HPC_ACT_IDENTITY && act <= HPC_ACT_TANH) || act == HPC_ACT_STEP || act == HPC_ACT_ARCTAN ||
        act == HPC_ACT_SOFTPLUS)
        return HPC_STATUS_OK;
    if (act == HPC_ACT_LEAKY_RELU)
        return hpc_fail(ctx, HPC_STATUS_UNSUPPORTED,
                        "%s: act = LEAKY_RELU needs a slope: convolve with HPC_ACT_IDENTITY, then "
                        "hpc_bias_act_forward", fn);
    return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: act = %d is not an hpc_activation", fn, (int)act);
}

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

/* The largest full-speed need of the algorithms the three directions choose (the forward's with
 * an activation the direct kernels apply in registers and with one they do not). */
HPC_API hpc_status hpc_conv2d_workspace_size(hpc_ctx* ctx, const hpc_conv2d_desc* desc, int64_t* bytes) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_PTR(ctx, bytes);
    hpc_conv_geom g;
    hpc_status st = conv_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    const hpc_conv_algorithm* chosen[4] = {
        hpc_conv_choose(ctx->kernels, HPC_CONV_FORWARD, &g, HPC_ACT_RELU, INT64_MAX),
        hpc_conv_choose(ctx->kernels, HPC_CONV_FORWARD, &g, HPC_ACT_SIGMOID, INT64_MAX),
        hpc_conv_choose(ctx->kernels, HPC_CONV_BACKWARD_DATA, &g, HPC_ACT_IDENTITY, INT64_MAX),
        hpc_conv_choose(ctx->kernels, HPC_CONV_BACKWARD_WEIGHTS, &g, HPC_ACT_IDENTITY, INT64_MAX),
    };
    *bytes = 0;
    for (int i = 0; i < 4; i++) {
        int64_t full, minimum;
        chosen[i]->workspace(&g, &full, &minimum);
        if (full > *bytes) *bytes = full;
    }
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_conv2d_algorithm(hpc_ctx* ctx, const hpc_conv2d_desc* desc, hpc_conv_direction direction,
                                        hpc_activation act, int64_t workspace_bytes, const char** name) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_PTR(ctx, name);
    hpc_conv_geom g;
    hpc_status st = conv_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    if (direction != HPC_CONV_FORWARD && direction != HPC_CONV_BACKWARD_DATA && direction != HPC_CONV_BACKWARD_WEIGHTS)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: direction = %d is not an hpc_conv_direction", __func__,
                        (int)direction);
    if (direction == HPC_CONV_FORWARD && (st = check_forward_act(ctx, __func__, act)) != HPC_STATUS_OK) return st;
    if (workspace_bytes < 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: workspace_bytes = %lld is negative", __func__,
                        (long long)workspace_bytes);
    *name = hpc_conv_choose(ctx->kernels, direction, &g, direction == HPC_CONV_FORWARD ? act : HPC_ACT_IDENTITY,
                            workspace_bytes)->name;
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_conv2d_forward(hpc_ctx* ctx, const hpc_conv2d_desc* desc, const float* x, const float* w,
                                      const float* bias, hpc_activation act, float* y, void* workspace,
                                      int64_t workspace_bytes) {
    HPC_CHECK_CTX(ctx);
    hpc_conv_geom g;
    hpc_status st = conv_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    if ((st = check_forward_act(ctx, __func__, act)) != HPC_STATUS_OK) return st;
    const hpc_conv_algorithm* a = hpc_conv_choose(ctx->kernels, HPC_CONV_FORWARD, &g, act, workspace_bytes);
    if ((st = check_workspace(ctx, __func__, &g, a, workspace, workspace_bytes)) != HPC_STATUS_OK) return st;
    if (g.n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, x);
    HPC_CHECK_PTR(ctx, w);
    HPC_CHECK_PTR(ctx, y);
    hpc_conv_call c = {.g = &g, .act = act, .x = x, .w = w, .bias = bias, .y = y, .workspace = workspace,
                       .workspace_bytes = workspace_bytes};
    return a->run(ctx, &c);
}

HPC_API hpc_status hpc_conv2d_backward_data(hpc_ctx* ctx, const hpc_conv2d_desc* desc, const float* dy,
                                            const float* w, float* dx, void* workspace, int64_t workspace_bytes) {
    HPC_CHECK_CTX(ctx);
    hpc_conv_geom g;
    hpc_status st = conv_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    const hpc_conv_algorithm* a =
        hpc_conv_choose(ctx->kernels, HPC_CONV_BACKWARD_DATA, &g, HPC_ACT_IDENTITY, workspace_bytes);
    if ((st = check_workspace(ctx, __func__, &g, a, workspace, workspace_bytes)) != HPC_STATUS_OK) return st;
    if (g.n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, dy);
    HPC_CHECK_PTR(ctx, w);
    HPC_CHECK_PTR(ctx, dx);
    hpc_conv_call c = {.g = &g, .act = HPC_ACT_IDENTITY, .w = w, .dy = dy, .dx = dx, .workspace = workspace,
                       .workspace_bytes = workspace_bytes};
    return a->run(ctx, &c);
}

HPC_API hpc_status hpc_conv2d_backward_weights(hpc_ctx* ctx, const hpc_conv2d_desc* desc, const float* x,
                                               const float* dy, float* dw, float* db, void* workspace,
                                               int64_t workspace_bytes) {
    HPC_CHECK_CTX(ctx);
    hpc_conv_geom g;
    hpc_status st = conv_geom(ctx, __func__, desc, &g);
    if (st != HPC_STATUS_OK) return st;
    const hpc_conv_algorithm* a =
        hpc_conv_choose(ctx->kernels, HPC_CONV_BACKWARD_WEIGHTS, &g, HPC_ACT_IDENTITY, workspace_bytes);
    if ((st = check_workspace(ctx, __func__, &g, a, workspace, workspace_bytes)) != HPC_STATUS_OK) return st;
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
    hpc_conv_call c = {.g = &g, .act = HPC_ACT_IDENTITY, .x = x, .dy = dy, .dw = dw, .db = db, .workspace = workspace,
                       .workspace_bytes = workspace_bytes};
    return a->run(ctx, &c);
}
