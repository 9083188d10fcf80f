/* RMSProp (PyTorch's formulation, uncentred), with optional momentum and L2/L1 folded in. */
#include "optim/optim_internal.h"

HPC_API hpc_status hpc_rmsprop_update(hpc_ctx* ctx, int64_t n, float lr, float alpha, float eps, float momentum,
                                      float weight_decay, float l1, float* w, const float* grad, float* square_avg,
                                      float* momentum_buf) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    OPTIM_CHECK_NONNEG(ctx, lr);
    OPTIM_CHECK_UNIT(ctx, alpha);
    OPTIM_CHECK_POSITIVE(ctx, eps);
    OPTIM_CHECK_UNIT(ctx, momentum);
    OPTIM_CHECK_NONNEG(ctx, weight_decay);
    OPTIM_CHECK_NONNEG(ctx, l1);
    if (n == 0) return HPC_STATUS_OK;
    if (!momentum_buf && momentum != 0.0f)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                        "%s: momentum_buf is null but momentum = %g (only 0 may omit it)", __func__, (double)momentum);
    hpc_optim_args a = {0};
    a.lr = lr;
    a.alpha = alpha;
    a.one_minus_alpha = 1.0f - alpha;
    a.eps = eps;
    a.momentum = momentum;
    a.weight_decay = weight_decay;
    a.l1 = l1;
    const hpc_optim_kernels* k = hpc_optim_select(ctx);
    if (momentum_buf)
        return hpc_optim_apply(ctx, __func__, k->rmsprop_momentum, n, &a, w, grad, square_avg, "square_avg",
                               momentum_buf, "momentum_buf");
    return hpc_optim_apply(ctx, __func__, k->rmsprop, n, &a, w, grad, square_avg, "square_avg", NULL, NULL);
}
