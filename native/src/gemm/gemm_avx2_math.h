/* AVX2 activations for the fused GEMM epilogue (shared by the packed and small-matrix kernels):
 * the eltwise family's vector math, so fused and unfused activations agree. Include only from
 * *_avx2.c files. */
#ifndef HPC_GEMM_AVX2_MATH_H
#define HPC_GEMM_AVX2_MATH_H
#include "simd/simd_avx2.h"
#include "simd/vmath_simd.h"
#include "simd/act_simd.h"

/* Leaky ReLU needs a slope the fused entry point does not take; it is rejected before here. */
static inline __m256 act_ps(hpc_activation act, __m256 v) { return act_v(act, vzero(), v); }

#endif
