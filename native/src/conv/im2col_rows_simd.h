/* The three row primitives of im2col_impl.h, written once over the SIMD vocabulary (include
 * simd/simd_<isa>.h first): whole vectors, then a masked tail that never touches the lanes past
 * the row. */
#ifndef HPC_IM2COL_ROWS_SIMD_H
#define HPC_IM2COL_ROWS_SIMD_H

static inline void row_copy_s1(float* dst, const float* src, int64_t n) {
    int64_t j = 0;
    for (; j + HPC_W <= n; j += HPC_W) vstore(dst + j, vload(src + j));
    if (j < n) vstoren(dst + j, vloadn(src + j, n - j), n - j);
}

/* A block reads src[2 j .. 2 j + 2 W - 1]; only src[0 .. 2 (n - 1)] is known to lie in the row,
 * hence j + W + 1 <= n rather than j + W <= n. */
static inline void row_copy_s2(float* dst, const float* src, int64_t n) {
    int64_t j = 0;
    for (; j + HPC_W + 1 <= n; j += HPC_W) vstore(dst + j, vload_even(src + 2 * j));
    for (; j < n; j++) dst[j] = src[2 * j];
}

static inline void row_add_s1(float* dst, const float* src, int64_t n) {
    int64_t j = 0;
    for (; j + HPC_W <= n; j += HPC_W) vstore(dst + j, vadd(vload(dst + j), vload(src + j)));
    if (j < n) vstoren(dst + j, vadd(vloadn(dst + j, n - j), vloadn(src + j, n - j)), n - j);
}

#endif
