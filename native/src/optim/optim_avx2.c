/* The optimizer kernels for AVX2 + FMA: 8 float lanes, tails by vmaskmov. */
#include <immintrin.h>
#include <stdint.h>

#define VF __m256
#define VM __m256i
#define VW 8
#define VD __m256d
#define OPTIM_TABLE hpc_optim_kernels_avx2

static inline __m256 v_set1(float x) { return _mm256_set1_ps(x); }
static inline __m256 v_load(const float* p) { return _mm256_loadu_ps(p); }
static inline void v_store(float* p, __m256 x) { _mm256_storeu_ps(p, x); }
static inline __m256 v_loadm(const float* p, __m256i m) { return _mm256_maskload_ps(p, m); }
static inline void v_storem(float* p, __m256i m, __m256 x) { _mm256_maskstore_ps(p, m, x); }
/* Lanes [0, r) on: r in 1..8. */
static inline __m256i v_tail(int64_t r) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)r), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
static inline __m256 v_add(__m256 a, __m256 b) { return _mm256_add_ps(a, b); }
static inline __m256 v_sub(__m256 a, __m256 b) { return _mm256_sub_ps(a, b); }
static inline __m256 v_mul(__m256 a, __m256 b) { return _mm256_mul_ps(a, b); }
static inline __m256 v_div(__m256 a, __m256 b) { return _mm256_div_ps(a, b); }
static inline __m256 v_sqrt(__m256 a) { return _mm256_sqrt_ps(a); }
static inline __m256 v_fmadd(__m256 a, __m256 b, __m256 c) { return _mm256_fmadd_ps(a, b, c); }
static inline __m256 v_fnmadd(__m256 a, __m256 b, __m256 c) { return _mm256_fnmadd_ps(a, b, c); }
static inline __m256 v_min(__m256 a, __m256 b) { return _mm256_min_ps(a, b); }
static inline __m256 v_max(__m256 a, __m256 b) { return _mm256_max_ps(a, b); }
/* +1, -1 or 0 (also for NaN), as the scalar (w > 0) - (w < 0). */
static inline __m256 v_sign(__m256 w) {
    __m256 zero = _mm256_setzero_ps();
    __m256 pos = _mm256_and_ps(_mm256_cmp_ps(w, zero, _CMP_GT_OQ), _mm256_set1_ps(1.0f));
    __m256 neg = _mm256_and_ps(_mm256_cmp_ps(w, zero, _CMP_LT_OQ), _mm256_set1_ps(-1.0f));
    return _mm256_or_ps(pos, neg);
}
static inline __m256d v_dzero(void) { return _mm256_setzero_pd(); }
static inline void v_sumsq_acc(__m256d* lo, __m256d* hi, __m256 x) {
    __m256d a = _mm256_cvtps_pd(_mm256_castps256_ps128(x));
    __m256d b = _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1));
    *lo = _mm256_fmadd_pd(a, a, *lo);
    *hi = _mm256_fmadd_pd(b, b, *hi);
}
static inline double v_dreduce(__m256d x) {
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(x), _mm256_extractf128_pd(x, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

#include "optim/optim_simd.h"
