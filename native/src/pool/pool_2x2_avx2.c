/* Max pooling with a 2x2 window, stride 2 and no padding (LeNet's, and most CNNs'), any width:
 * 8 outputs per step from two rows of 16 inputs split into even and odd columns; the ragged end of
 * a row uses masked loads and stores rather than the per-output scalar code (a 14 -> 7 plane has no
 * full vector at all: that pool took ~4 ms of LeNet's step). The window is visited in row-major
 * order with the shared comparison rule, so results equal the scalar path's. */
#include "pool/pool_internal.h"
#include <immintrin.h>

static inline __m256i lanes_below(int64_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* Even and odd elements of p[0 .. 2n) (n <= 8 pairs; nothing past them is read unless whole,
 * which lets the caller read 16 floats whatever n). */
static inline void split_pairs(const float* p, int64_t n, int whole, __m256* even, __m256* odd) {
    __m256 a, b;
    if (n == 8 || whole) {
        a = _mm256_loadu_ps(p), b = _mm256_loadu_ps(p + 8);
    } else {
        a = _mm256_maskload_ps(p, lanes_below(2 * n));
        b = _mm256_maskload_ps(p + 8, lanes_below(2 * n - 8));
    }
    __m256 e = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)), o = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
    *even = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), _MM_SHUFFLE(3, 1, 2, 0)));
    *odd = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(o), _MM_SHUFFLE(3, 1, 2, 0)));
}

static inline __m256 takes(__m256 v, __m256 best) {
    return _mm256_or_ps(_mm256_cmp_ps(v, best, _CMP_GT_OQ),
                        _mm256_and_ps(_mm256_cmp_ps(v, v, _CMP_UNORD_Q), _mm256_cmp_ps(best, best, _CMP_ORD_Q)));
}

static inline void take(__m256 v, __m256i iv, __m256* best, __m256i* idx) {
    __m256 m = takes(v, *best);
    *best = _mm256_blendv_ps(*best, v, m);
    *idx = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(*idx), _mm256_castsi256_ps(iv), m));
}

static void maxpool_2x2_plane(const hpc_pool_geom* g, const float* x, float* y, int32_t* argmax) {
    const __m256i two = _mm256_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14);
    for (int64_t oh = 0; oh < g->oh; oh++) {
        const float* r0 = x + 2 * oh * g->w;
        const float* r1 = r0 + g->w;
        for (int64_t ow = 0; ow < g->ow; ow += 8) {
            int64_t n = g->ow - ow < 8 ? g->ow - ow : 8;
            /* A short vector that stays inside the plane runs whole: its extra outputs land on
             * the next row's, which that row then writes (masked loads and stores cost more). */
            int whole = n < 8 && r1 + 2 * ow + 16 <= x + g->h * g->w && (oh + 1) * g->ow + ow + 8 <= g->oh * g->ow;
            __m256 a, b, c, d;
            split_pairs(r0 + 2 * ow, n, whole, &a, &b);
            split_pairs(r1 + 2 * ow, n, whole, &c, &d);
            __m256i i0 = _mm256_add_epi32(_mm256_set1_epi32((int32_t)(2 * oh * g->w + 2 * ow)), two);
            __m256i i2 = _mm256_add_epi32(i0, _mm256_set1_epi32((int32_t)g->w));
            __m256 best = a;
            __m256i idx = i0;
            take(b, _mm256_add_epi32(i0, _mm256_set1_epi32(1)), &best, &idx);
            take(c, i2, &best, &idx);
            take(d, _mm256_add_epi32(i2, _mm256_set1_epi32(1)), &best, &idx);
            float* yo = y + oh * g->ow + ow;
            int32_t* ao = argmax ? argmax + oh * g->ow + ow : NULL;
            if (n == 8 || whole) {
                _mm256_storeu_ps(yo, best);
                if (ao) _mm256_storeu_si256((__m256i*)(void*)ao, idx);
            } else {
                __m256i m = lanes_below(n);
                _mm256_maskstore_ps(yo, m, best);
                if (ao) _mm256_maskstore_epi32((int*)ao, m, idx);
            }
        }
    }
}

const hpc_maxpool_2x2_kernels hpc_maxpool_2x2_kernels_avx2 = {maxpool_2x2_plane};
