/* Per-ISA kernel table of the eltwise family. The public entry points (eltwise.c) validate
 * arguments, then call through the table of the context's SIMD path; kernels assume valid
 * arguments and never fail. */
#ifndef HPC_ELTWISE_INTERNAL_H
#define HPC_ELTWISE_INTERNAL_H
#include "hpcnn.h"

typedef struct hpc_eltwise_kernels {
    void (*bias_act)(hpc_activation act, float param, int64_t rows, int64_t cols, const float* x,
                     const float* bias, float* y);
    void (*act_backward)(hpc_activation act, float param, int64_t n, const float* x, const float* y,
                         const float* dy, float* dx);
    void (*sum_rows)(int64_t rows, int64_t cols, const float* x, int64_t ldx, float beta, float* out);
    void (*prelu_forward)(int64_t rows, int64_t cols, const float* x, const float* slope, float* y);
    /* dslope[j] = sum over rows of dy * x where x <= 0 (overwritten); dx may be null. */
    void (*prelu_backward)(int64_t rows, int64_t cols, const float* x, const float* slope,
                           const float* dy, float* dx, float* dslope);
} hpc_eltwise_kernels;

extern const hpc_eltwise_kernels hpc_eltwise_kernels_scalar;
extern const hpc_eltwise_kernels hpc_eltwise_kernels_avx2;
extern const hpc_eltwise_kernels hpc_eltwise_kernels_avx512;

/* The readable scalar definitions, shared by the scalar path and the loss family. */
float hpc_sigmoid_ref(float z);
float hpc_act_ref(hpc_activation act, float param, float z);
/* act'(x) given the activation's input x and output y. */
float hpc_act_grad_ref(hpc_activation act, float param, float x, float y);

#endif
