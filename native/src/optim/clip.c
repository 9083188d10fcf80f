/* Gradient clipping building blocks. Clipping by global norm spans tensors, so the caller sums
 * hpc_sum_squares over every gradient, takes the root, and scales each one with hpc_scale. */
#include "optim/optim_internal.h"

HPC_API hpc_status hpc_sum_squares(hpc_ctx* ctx, int64_t n, const float* x, double* out) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    HPC_CHECK_PTR(ctx, out);
    if (n > 0) HPC_CHECK_PTR(ctx, x);
    *out = n > 0 ? hpc_optim_select(ctx)->sum_squares(n, x) : 0.0;
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_scale(hpc_ctx* ctx, int64_t n, float alpha, float* x) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    HPC_CHECK_FINITE(ctx, alpha);
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, x);
    hpc_optim_select(ctx)->scale(n, alpha, x);
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_clip_by_value(hpc_ctx* ctx, int64_t n, float lo, float hi, float* x) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    if (lo != lo) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: lo is NaN", __func__);
    if (hi != hi) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: hi is NaN", __func__);
    if (lo > hi)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: lo = %g is greater than hi = %g", __func__, (double)lo,
                        (double)hi);
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, x);
    hpc_optim_select(ctx)->clip(n, lo, hi, x);
    return HPC_STATUS_OK;
}
