/* The optimizer kernels for AVX-512: 16 float lanes, tails by mask registers. */
#include <immintrin.h>
#include <stdint.h>

#define VF __m512
#define VM __mmask16
#define VW 16
#define VD __m512d
#define OPTIM_TABLE hpc_optim_kernels_avx512

static inline __m512 v_set1(float x) { return _mm512_set1_ps(x); }
static inline __m512 v_load(const float* p) { return _mm512_loadu_ps(p); }
static inline void v_store(float* p, __m512 x) { _mm512_storeu_ps(p, x); }
static inline __m512 v_loadm(const float* p, __mmask16 m) { return _mm512_maskz_loadu_ps(m, p); }
static inline void v_storem(float* p, __mmask16 m, __m512 x) { _mm512_mask_storeu_ps(p, m, x); }
/* Lanes [0, r) on: r in 1..16. */
static inline __mmask16 v_tail(int64_t r) { return (__mmask16)((1u << r) - 1u); }
static inline __m512 v_add(__m512 a, __m512 b) { return _mm512_add_ps(a, b); }
static inline __m512 v_sub(__m512 a, __m512 b) { return _mm512_sub_ps(a, b); }
static inline __m512 v_mul(__m512 a, __m512 b) { return _mm512_mul_ps(a, b); }
static inline __m512 v_div(__m512 a, __m512 b) { return _mm512_div_ps(a, b); }
static inline __m512 v_sqrt(__m512 a) { return _mm512_sqrt_ps(a); }
static inline __m512 v_fmadd(__m512 a, __m512 b, __m512 c) { return _mm512_fmadd_ps(a, b, c); }
static inline __m512 v_fnmadd(__m512 a, __m512 b, __m512 c) { return _mm512_fnmadd_ps(a, b, c); }
static inline __m512 v_min(__m512 a, __m512 b) { return _mm512_min_ps(a, b); }
static inline __m512 v_max(__m512 a, __m512 b) { return _mm512_max_ps(a, b); }
/* +1, -1 or 0 (also for NaN), as the scalar (w > 0) - (w < 0). */
static inline __m512 v_sign(__m512 w) {
    __m512 zero = _mm512_setzero_ps();
    __mmask16 pos = _mm512_cmp_ps_mask(w, zero, _CMP_GT_OQ);
    __mmask16 neg = _mm512_cmp_ps_mask(w, zero, _CMP_LT_OQ);
    return _mm512_mask_mov_ps(_mm512_maskz_mov_ps(pos, _mm512_set1_ps(1.0f)), neg, _mm512_set1_ps(-1.0f));
}
static inline __m512d v_dzero(void) { return _mm512_setzero_pd(); }
static inline void v_sumsq_acc(__m512d* lo, __m512d* hi, __m512 x) {
    __m512d a = _mm512_cvtps_pd(_mm512_castps512_ps256(x));
    __m512d b = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)));
    *lo = _mm512_fmadd_pd(a, a, *lo);
    *hi = _mm512_fmadd_pd(b, b, *hi);
}
static inline double v_dreduce(__m512d x) { return _mm512_reduce_add_pd(x); }

#include "optim/optim_simd.h"
