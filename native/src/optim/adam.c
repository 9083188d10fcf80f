/* Adam (coupled L2, as PyTorch's Adam) and AdamW (decoupled weight decay), with bias correction
 * for the 1-based step t. One kernel serves both: they differ only in where weight_decay goes. */
#include "optim/optim_internal.h"
#include <math.h>

hpc_optim_args hpc_optim_adam_args(float lr, float beta1, float beta2, float eps, int64_t step) {
    hpc_optim_args a = {0};
    a.lr = lr;
    a.alpha = beta1;
    a.one_minus_alpha = 1.0f - beta1;
    a.beta2 = beta2;
    a.one_minus_beta2 = 1.0f - beta2;
    a.eps = eps;
    /* Bias corrections in double: beta^t for large t underflows gracefully to 0 there. */
    double bc1 = 1.0 - pow((double)beta1, (double)step);
    double bc2 = 1.0 - pow((double)beta2, (double)step);
    a.step_size = (float)((double)lr / bc1);
    a.sqrt_bc2 = (float)sqrt(bc2);
    a.decay = 1.0f;
    return a;
}

static hpc_status run_adam(hpc_ctx* ctx, const char* func, int decoupled, int64_t n, float lr, float beta1,
                           float beta2, float eps, float weight_decay, float l1, int64_t step, float* w,
                           const float* grad, float* m, float* v) {
    if (step < 1)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: step = %lld must be >= 1 (the first step is 1)", func,
                        (long long)step);
    hpc_optim_args a = hpc_optim_adam_args(lr, beta1, beta2, eps, step);
    a.l1 = l1;
    if (decoupled) {
        a.weight_decay = 0.0f;
        a.decay = (float)(1.0 - (double)lr * (double)weight_decay);
    } else {
        a.weight_decay = weight_decay;
        a.decay = 1.0f;
    }
    return hpc_optim_apply(ctx, func, hpc_optim_select(ctx)->adam, n, &a, w, grad, m, "m", v, "v");
}

HPC_API hpc_status hpc_adam_update(hpc_ctx* ctx, int64_t n, float lr, float beta1, float beta2, float eps,
                                   float weight_decay, float l1, int64_t step, float* w, const float* grad, float* m,
                                   float* v) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    OPTIM_CHECK_NONNEG(ctx, lr);
    OPTIM_CHECK_UNIT(ctx, beta1);
    OPTIM_CHECK_UNIT(ctx, beta2);
    OPTIM_CHECK_POSITIVE(ctx, eps);
    OPTIM_CHECK_NONNEG(ctx, weight_decay);
    OPTIM_CHECK_NONNEG(ctx, l1);
    return run_adam(ctx, __func__, 0, n, lr, beta1, beta2, eps, weight_decay, l1, step, w, grad, m, v);
}

HPC_API hpc_status hpc_adamw_update(hpc_ctx* ctx, int64_t n, float lr, float beta1, float beta2, float eps,
                                    float weight_decay, float l1, int64_t step, float* w, const float* grad, float* m,
                                    float* v) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    OPTIM_CHECK_NONNEG(ctx, lr);
    OPTIM_CHECK_UNIT(ctx, beta1);
    OPTIM_CHECK_UNIT(ctx, beta2);
    OPTIM_CHECK_POSITIVE(ctx, eps);
    OPTIM_CHECK_NONNEG(ctx, weight_decay);
    OPTIM_CHECK_NONNEG(ctx, l1);
    return run_adam(ctx, __func__, 1, n, lr, beta1, beta2, eps, weight_decay, l1, step, w, grad, m, v);
}
