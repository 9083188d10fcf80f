/* The SGD family: classic momentum (PyTorch's form), exponential-average (convex) momentum, Nesterov.
 * Validation here; the arithmetic is in the per-ISA kernels (optim_scalar.c is the reference). */
#include "optim/optim_internal.h"

/* With momentum = 0 every rule here reduces to w -= lr * g', so a null velocity selects plain
 * SGD then; any other momentum needs the velocity. */
static hpc_status run_sgd(hpc_ctx* ctx, const char* func, hpc_optim_update_fn with_velocity, int64_t n, float lr,
                          float momentum, float weight_decay, float l1, float* w, const float* grad, float* velocity) {
    if (n == 0) return HPC_STATUS_OK;
    if (!velocity && momentum != 0.0f)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: velocity is null but momentum = %g (only 0 may omit it)",
                        func, (double)momentum);
    hpc_optim_update_fn fn = velocity ? with_velocity : hpc_optim_select(ctx)->sgd;
    hpc_optim_args a = {0};
    a.lr = lr;
    a.momentum = momentum;
    a.one_minus_momentum = 1.0f - momentum;
    a.weight_decay = weight_decay;
    a.l1 = l1;
    return hpc_optim_apply(ctx, func, fn, n, &a, w, grad, velocity, velocity ? "velocity" : NULL, NULL, NULL);
}

HPC_API hpc_status hpc_sgd_update(hpc_ctx* ctx, int64_t n, float lr, float momentum, float weight_decay, float l1,
                                  float* w, const float* grad, float* velocity) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    OPTIM_CHECK_NONNEG(ctx, lr);
    OPTIM_CHECK_UNIT(ctx, momentum);
    OPTIM_CHECK_NONNEG(ctx, weight_decay);
    OPTIM_CHECK_NONNEG(ctx, l1);
    return run_sgd(ctx, __func__, hpc_optim_select(ctx)->sgd_momentum, n, lr, momentum, weight_decay, l1, w, grad,
                   velocity);
}

HPC_API hpc_status hpc_sgd_convex_momentum_update(hpc_ctx* ctx, int64_t n, float kappa, float beta,
                                                  float weight_decay, float l1, float* w, const float* grad,
                                                  float* velocity) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    OPTIM_CHECK_NONNEG(ctx, kappa);
    OPTIM_CHECK_UNIT(ctx, beta);
    OPTIM_CHECK_NONNEG(ctx, weight_decay);
    OPTIM_CHECK_NONNEG(ctx, l1);
    /* With beta = 0 the convex rule is w -= kappa * g': plain SGD at lr = kappa. */
    return run_sgd(ctx, __func__, hpc_optim_select(ctx)->sgd_convex, n, kappa, beta, weight_decay, l1, w, grad,
                   velocity);
}

HPC_API hpc_status hpc_nesterov_update(hpc_ctx* ctx, int64_t n, float lr, float momentum, float weight_decay,
                                       float l1, float* w, const float* grad, float* velocity) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    OPTIM_CHECK_NONNEG(ctx, lr);
    OPTIM_CHECK_UNIT(ctx, momentum);
    OPTIM_CHECK_NONNEG(ctx, weight_decay);
    OPTIM_CHECK_NONNEG(ctx, l1);
    return run_sgd(ctx, __func__, hpc_optim_select(ctx)->nesterov, n, lr, momentum, weight_decay, l1, w, grad,
                   velocity);
}
