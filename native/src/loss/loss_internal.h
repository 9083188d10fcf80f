/* Per-ISA kernel table of the loss family (softmax, cross-entropy, regression losses). The
 * public entry points (loss.c) validate, then call through the context's table. Each kernel
 * returns its partial loss as a double so a batch mean does not drift with size. */
#ifndef HPC_LOSS_INTERNAL_H
#define HPC_LOSS_INTERNAL_H
#include "hpcnn.h"

typedef struct hpc_loss_kernels {
    /* One row of logits: returns log-sum-exp(x) - x[label]; when d is non-null writes
     * d = (softmax(x) - onehot(label)) * scale. d may alias x. */
    double (*softmax_ce_row)(int64_t classes, const float* x, int32_t label, float scale, float* d);
    /* y = softmax(x) over one row; y may alias x. */
    void (*softmax_row)(int64_t cols, const float* x, float* y);
    /* dx = y * (dy - <dy, y>) over one row; dx may alias dy or y. */
    void (*softmax_backward_row)(int64_t cols, const float* y, const float* dy, float* dx);
    /* Each returns the sum of the per-element loss over n elements and, when grad is non-null,
     * writes grad[i] = gscale * (the per-element derivative). grad may alias pred or target. */
    /* squared: (p - t)^2 and grad = gscale * (p - t); absolute: |p - t| and gscale * sign(p - t);
     * bce_logits: max(z, 0) - z t + log1p(e^-|z|) and gscale * (sigmoid(z) - t). */
    double (*squared)(int64_t n, const float* pred, const float* target, float gscale, float* grad);
    double (*absolute)(int64_t n, const float* pred, const float* target, float gscale, float* grad);
    double (*bce_logits)(int64_t n, const float* z, const float* target, float gscale, float* grad);
} hpc_loss_kernels;

extern const hpc_loss_kernels hpc_loss_kernels_scalar;
extern const hpc_loss_kernels hpc_loss_kernels_avx2;
extern const hpc_loss_kernels hpc_loss_kernels_avx512;

#endif
