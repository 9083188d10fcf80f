/* Scalar im2col / col2im (the reference) and the per-ISA kernel table. */
#define HPC_IM2COL_SUFFIX scalar
#include "conv/conv_internal.h"

static inline void row_copy_s1(float* dst, const float* src, int64_t n) {
    for (int64_t j = 0; j < n; j++) dst[j] = src[j];
}
static inline void row_copy_s2(float* dst, const float* src, int64_t n) {
    for (int64_t j = 0; j < n; j++) dst[j] = src[2 * j];
}
static inline void row_add_s1(float* dst, const float* src, int64_t n) {
    for (int64_t j = 0; j < n; j++) dst[j] += src[j];
}

#include "conv/im2col_impl.h"

hpc_conv_kernels hpc_conv_kernels_for(const hpc_ctx* ctx) {
    hpc_conv_kernels k;
    switch (hpc_simd_isa(ctx)) {
    case HPC_ISA_AVX512:
        k.im2col = hpc_im2col_avx512;
        k.col2im = hpc_col2im_avx512;
        break;
    case HPC_ISA_AVX2:
        k.im2col = hpc_im2col_avx2;
        k.col2im = hpc_col2im_avx2;
        break;
    default:
        k.im2col = hpc_im2col_scalar;
        k.col2im = hpc_col2im_scalar;
        break;
    }
    return k;
}
