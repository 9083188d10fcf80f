/* AVX2 im2col / col2im: 8-wide row copies, stride-2 rows de-interleaved in registers. */
#define HPC_IM2COL_SUFFIX avx2
#include <immintrin.h>
#include <stdint.h>

/* Lanes [0, n) of a mask, n in [0, 8]: the tails of short rows (conv rows are often 7..30 wide). */
static inline __m256i tail_mask(int64_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* Rows of 8 or more end with one vector overlapping the previous one (a copy may write a value
 * twice); shorter rows use masked loads and stores, which never touch the masked-off lanes. */
static inline void row_copy_s1(float* dst, const float* src, int64_t n) {
    if (n < 8) {
        __m256i m = tail_mask(n);
        _mm256_maskstore_ps(dst, m, _mm256_maskload_ps(src, m));
        return;
    }
    int64_t j = 0;
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(dst + j, _mm256_loadu_ps(src + j));
    if (j < n) _mm256_storeu_ps(dst + n - 8, _mm256_loadu_ps(src + n - 8));
}

/* Even elements of 16 consecutive floats: shuffle picks evens within lanes, permute orders lanes. */
static inline void row_copy_s2(float* dst, const float* src, int64_t n) {
    int64_t j = 0;
    /* A block reads src[2 j .. 2 j + 15]; only src[0 .. 2 (n - 1)] is known to lie in the row,
     * hence j + 9 <= n rather than j + 8 <= n. */
    for (; j + 9 <= n; j += 8) {
        __m256 a = _mm256_loadu_ps(src + 2 * j), b = _mm256_loadu_ps(src + 2 * j + 8);
        __m256 e = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
        e = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), _MM_SHUFFLE(3, 1, 2, 0)));
        _mm256_storeu_ps(dst + j, e);
    }
    for (; j < n; j++) dst[j] = src[2 * j];
}

static inline void row_add_s1(float* dst, const float* src, int64_t n) {
    int64_t j = 0;
    for (; j + 8 <= n; j += 8)
        _mm256_storeu_ps(dst + j, _mm256_add_ps(_mm256_loadu_ps(dst + j), _mm256_loadu_ps(src + j)));
    if (j < n) {
        __m256i m = tail_mask(n - j);
        _mm256_maskstore_ps(dst + j, m, _mm256_add_ps(_mm256_maskload_ps(dst + j, m), _mm256_maskload_ps(src + j, m)));
    }
}

#include "conv/im2col_impl.h"
