/* AVX-512 im2col / col2im: 16-wide row copies with masked tails, stride-2 rows de-interleaved
 * with a two-source permute. */
#define HPC_IM2COL_SUFFIX avx512
#include <immintrin.h>
#include <stdint.h>

static inline __mmask16 tail_mask(int64_t n) { return (__mmask16)((1u << n) - 1u); }

static inline void row_copy_s1(float* dst, const float* src, int64_t n) {
    int64_t j = 0;
    for (; j + 16 <= n; j += 16) _mm512_storeu_ps(dst + j, _mm512_loadu_ps(src + j));
    if (j < n) {
        __mmask16 m = tail_mask(n - j);
        _mm512_mask_storeu_ps(dst + j, m, _mm512_maskz_loadu_ps(m, src + j));
    }
}

static inline void row_copy_s2(float* dst, const float* src, int64_t n) {
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    int64_t j = 0;
    /* A block reads src[2 j .. 2 j + 31]; only src[0 .. 2 (n - 1)] is known to lie in the row. */
    for (; j + 17 <= n; j += 16) {
        __m512 a = _mm512_loadu_ps(src + 2 * j), b = _mm512_loadu_ps(src + 2 * j + 16);
        _mm512_storeu_ps(dst + j, _mm512_permutex2var_ps(a, evens, b));
    }
    for (; j < n; j++) dst[j] = src[2 * j];
}

static inline void row_add_s1(float* dst, const float* src, int64_t n) {
    int64_t j = 0;
    for (; j + 16 <= n; j += 16)
        _mm512_storeu_ps(dst + j, _mm512_add_ps(_mm512_loadu_ps(dst + j), _mm512_loadu_ps(src + j)));
    if (j < n) {
        __mmask16 m = tail_mask(n - j);
        __m512 d = _mm512_maskz_loadu_ps(m, dst + j), s = _mm512_maskz_loadu_ps(m, src + j);
        _mm512_mask_storeu_ps(dst + j, m, _mm512_add_ps(d, s));
    }
}

#include "conv/im2col_impl.h"
