/* The optimizer family: per-ISA update kernels behind one table, and the validation every public
 * entry point shares. The public functions (sgd.c, rmsprop.c, adam.c, clip.c) validate, fold the
 * hyper-parameters into hpc_optim_args, and call the table of the context's SIMD path. */
#ifndef HPC_OPTIM_INTERNAL_H
#define HPC_OPTIM_INTERNAL_H

#include "core/internal.h"
#include <stdint.h>

/* Hyper-parameters as the kernels consume them: derived quantities (1 - beta, bias corrections)
 * are computed once per call here rather than per element. Each kernel documents what it reads. */
typedef struct hpc_optim_args {
    float lr;            /* step size (kappa for the convex form) */
    float momentum;      /* mu, beta (convex form) */
    float one_minus_momentum;
    float weight_decay;  /* coupled L2: g' = g + weight_decay * w (0 for AdamW) */
    float l1;            /* L1: g' += l1 * sign(w), sign(0) = 0 */
    float alpha;         /* RMSProp smoothing; Adam beta1 */
    float one_minus_alpha;
    float beta2;         /* Adam */
    float one_minus_beta2;
    float eps;
    float step_size;     /* Adam: lr / (1 - beta1^t) */
    float sqrt_bc2;      /* Adam: sqrt(1 - beta2^t) */
    float decay;         /* AdamW: w *= decay = 1 - lr * weight_decay before the step; 1 otherwise */
} hpc_optim_args;

/* An update of n parameters: w and the optimizer state s1, s2 in place, from grad g. */
typedef void (*hpc_optim_update_fn)(int64_t n, const hpc_optim_args* a, float* w, const float* g, float* s1,
                                    float* s2);

typedef struct hpc_optim_kernels {
    /* w -= lr * g'                                                   (no state) */
    hpc_optim_update_fn sgd;
    /* s1 = mu s1 + g'; w -= lr s1                                     (s1: velocity) */
    hpc_optim_update_fn sgd_momentum;
    /* s1 = beta s1 - (1 - beta) g'; w += kappa s1                     (s1: velocity) */
    hpc_optim_update_fn sgd_convex;
    /* s1 = mu s1 + g'; w -= lr (g' + mu s1)                           (s1: velocity) */
    hpc_optim_update_fn nesterov;
    /* s1 = alpha s1 + (1-alpha) g'^2; w -= lr g' / (sqrt(s1) + eps)   (s1: square average) */
    hpc_optim_update_fn rmsprop;
    /* as rmsprop, with s2 = mu s2 + g' / (sqrt(s1) + eps); w -= lr s2  (s2: momentum buffer) */
    hpc_optim_update_fn rmsprop_momentum;
    /* s1 = b1 s1 + (1-b1) g'; s2 = b2 s2 + (1-b2) g'^2;
     * w = decay w - step_size s1 / (sqrt(s2) / sqrt_bc2 + eps) */
    hpc_optim_update_fn adam;
    /* sum of x^2 accumulated in double */
    double (*sum_squares)(int64_t n, const float* x);
    /* x *= alpha */
    void (*scale)(int64_t n, float alpha, float* x);
    /* x = min(max(x, lo), hi); NaN stays NaN */
    void (*clip)(int64_t n, float lo, float hi, float* x);
} hpc_optim_kernels;

extern const hpc_optim_kernels hpc_optim_kernels_scalar;
extern const hpc_optim_kernels hpc_optim_kernels_avx2;
extern const hpc_optim_kernels hpc_optim_kernels_avx512;

/* Adam's arguments for the 1-based step (bias corrections folded in; no weight decay, l1 0,
 * decay 1), shared by the dense and the row-wise (sparse family) updates. */
hpc_optim_args hpc_optim_adam_args(float lr, float beta1, float beta2, float eps, int64_t step);

/* The table of the context's SIMD path. */
const hpc_optim_kernels* hpc_optim_select(const hpc_ctx* ctx);

/* ---- validation: each returns INVALID_ARGUMENT naming the public function and the value ---- */

/* Finite and >= 0 (learning rates, decay coefficients). The comparisons are written so NaN fails. */
#define OPTIM_CHECK_NONNEG(ctx, v)                                                                  \
    do {                                                                                            \
        if (!((v) >= 0.0f && (v) <= 3.4028235e38f))                                                 \
            return hpc_fail((ctx), HPC_STATUS_INVALID_ARGUMENT, "%s: %s = %g must be finite and >= 0", \
                            __func__, #v, (double)(v));                                             \
    } while (0)

/* In [0, 1): momentum and moving-average coefficients. */
#define OPTIM_CHECK_UNIT(ctx, v)                                                                    \
    do {                                                                                            \
        if (!((v) >= 0.0f && (v) < 1.0f))                                                           \
            return hpc_fail((ctx), HPC_STATUS_INVALID_ARGUMENT, "%s: %s = %g is outside [0, 1)",    \
                            __func__, #v, (double)(v));                                             \
    } while (0)

/* Finite and > 0: epsilons. */
#define OPTIM_CHECK_POSITIVE(ctx, v)                                                                \
    do {                                                                                            \
        if (!((v) > 0.0f && (v) <= 3.4028235e38f))                                                  \
            return hpc_fail((ctx), HPC_STATUS_INVALID_ARGUMENT, "%s: %s = %g must be finite and > 0", \
                            __func__, #v, (double)(v));                                             \
    } while (0)

/* The tail of every update entry point: checks the arrays (each may be null only when n = 0; a
 * state array named null is not used by this rule), that none overlap, then runs fn. */
hpc_status hpc_optim_apply(hpc_ctx* ctx, const char* func, hpc_optim_update_fn fn, int64_t n,
                           const hpc_optim_args* a, float* w, const float* grad, float* s1, const char* s1_name,
                           float* s2, const char* s2_name);

/* Fails when two of the count arrays of n floats overlap (null entries are skipped): the kernels
 * read and write each element once, so aliasing would silently compute something else. */
hpc_status hpc_optim_check_disjoint(const hpc_ctx* ctx, const char* func, int64_t n, int count,
                                    const char* const* names, const void* const* ptrs);

#endif
