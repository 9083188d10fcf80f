/* Scalar im2col / col2im: the reference. */
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
