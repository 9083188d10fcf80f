/* Public entry points of the random family: seeded uniform and normal fills, inverted dropout. */
#include "core/internal.h"
#include "random/random_internal.h"
#include "simd/parallel_ranges.h"
#include <math.h>

static const hpc_random_kernels* kernels(const hpc_ctx* ctx) { return ctx->kernels->random; }

typedef struct {
    const hpc_random_kernels* k;
    uint64_t seed, offset;
    float a, b; /* lo, hi or keep, scale */
    const float* x;
    float *mask, *y;
} random_job;

static void uniform_range(void* arg, int64_t chunk, int64_t b, int64_t e) {
    const random_job* j = (const random_job*)arg;
    j->k->uniform(j->seed, j->offset + (uint64_t)b, e - b, j->a, j->b, j->y + b);
}

static void dropout_range(void* arg, int64_t chunk, int64_t b, int64_t e) {
    const random_job* j = (const random_job*)arg;
    j->k->dropout(j->seed, j->offset + (uint64_t)b, e - b, j->a, j->b, j->x + b, j->mask ? j->mask + b : NULL, j->y + b);
}

HPC_API hpc_status hpc_rng_uniform(hpc_ctx* ctx, uint64_t seed, uint64_t offset, int64_t n, float lo, float hi,
                                   float* out) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    HPC_CHECK_FINITE(ctx, lo);
    HPC_CHECK_FINITE(ctx, hi);
    if (!(lo <= hi) || !isfinite(hi - lo))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: [lo, hi) = [%g, %g) is not an interval of finite width",
                        __func__, (double)lo, (double)hi);
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, out);
    random_job j = {kernels(ctx), seed, offset, lo, hi, NULL, NULL, out};
    return hpc_parallel_ranges(ctx, n, HPC_ELTWISE_GRAIN, uniform_range, &j);
}

HPC_API hpc_status hpc_rng_normal(hpc_ctx* ctx, uint64_t seed, uint64_t offset, int64_t n, float mean, float std,
                                  float* out) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    HPC_CHECK_FINITE(ctx, mean);
    HPC_CHECK_FINITE(ctx, std);
    if (std < 0.0f)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: std = %g is negative", __func__, (double)std);
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, out);
    /* Box-Muller in double on every path (initialisation is not a hot loop): element g of
     * super-block s pairs stream words 64 s + q and 64 s + 32 + q (q = g % 32), taking the
     * cosine for the first half of the super-block and the sine for the second. */
    for (int64_t i = 0; i < n; i++) {
        uint64_t g = offset + (uint64_t)i, base = g - g % 64, q = g % 32;
        double u1 = ((double)(hpc_rng_word(seed, base + q) >> 8) + 1.0) * (1.0 / 16777216.0); /* (0, 1] */
        double u2 = (double)(hpc_rng_word(seed, base + 32 + q) >> 8) * (1.0 / 16777216.0);
        double r = sqrt(-2.0 * log(u1)), t = 6.283185307179586476925 * u2;
        double z = g % 64 < 32 ? r * cos(t) : r * sin(t);
        out[i] = (float)((double)mean + (double)std * z);
    }
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_dropout_forward(hpc_ctx* ctx, uint64_t seed, uint64_t offset, int64_t n, float keep_prob,
                                       const float* x, float* mask, float* y) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    if (!(keep_prob > 0.0f && keep_prob <= 1.0f))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: keep_prob = %g is outside (0, 1]", __func__,
                        (double)keep_prob);
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, x);
    HPC_CHECK_PTR(ctx, y);
    random_job j = {kernels(ctx), seed, offset, keep_prob, 1.0f / keep_prob, x, mask, y};
    return hpc_parallel_ranges(ctx, n, HPC_ELTWISE_GRAIN, dropout_range, &j);
}

HPC_API hpc_status hpc_dropout_backward(hpc_ctx* ctx, int64_t n, const float* mask, const float* dy, float* dx) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, mask);
    HPC_CHECK_PTR(ctx, dy);
    HPC_CHECK_PTR(ctx, dx);
    kernels(ctx)->mul(n, dy, mask, dx);
    return HPC_STATUS_OK;
}
