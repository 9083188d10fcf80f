/* AVX2 activations for the fused GEMM epilogue (shared by the packed and small-matrix kernels).
 * Include only from *_avx2.c files. */
#ifndef HPC_GEMM_AVX2_MATH_H
#define HPC_GEMM_AVX2_MATH_H
#include <immintrin.h>
#include "hpcnn.h"

/* e^x, Cephes polynomial; relative error ~2e-7 over the clamped range. */
static inline __m256 exp_ps(__m256 x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.3f)), _mm256_set1_ps(88.3f));
    __m256 fx = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), x);
    x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), x);
    __m256 y = _mm256_set1_ps(1.9875691500E-4f);
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.3981999507E-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(8.3334519073E-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(4.1665795894E-2f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.6666665459E-1f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(5.0000001201E-1f));
    y = _mm256_fmadd_ps(y, _mm256_mul_ps(x, x), _mm256_add_ps(x, _mm256_set1_ps(1.0f)));
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(fx), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(e));
}

static inline __m256 act_ps(hpc_activation act, __m256 v) {
    switch (act) {
    case HPC_ACT_RELU: return _mm256_max_ps(v, _mm256_setzero_ps());
    case HPC_ACT_SIGMOID: {
        __m256 one = _mm256_set1_ps(1.0f);
        return _mm256_div_ps(one, _mm256_add_ps(one, exp_ps(_mm256_sub_ps(_mm256_setzero_ps(), v))));
    }
    case HPC_ACT_TANH: {
        /* tanh|v| = (1 - e) / (1 + e) with e = e^(-2|v|) <= 1: no overflow; sign restored after. */
        __m256 sign = _mm256_set1_ps(-0.0f);
        __m256 av = _mm256_andnot_ps(sign, v);
        __m256 e = exp_ps(_mm256_mul_ps(av, _mm256_set1_ps(-2.0f)));
        __m256 one = _mm256_set1_ps(1.0f);
        __m256 t = _mm256_div_ps(_mm256_sub_ps(one, e), _mm256_add_ps(one, e));
        /* |v| < 0.625: 1 - e cancels; Cephes' odd polynomial keeps the relative error ~1e-7 */
        __m256 z = _mm256_mul_ps(av, av);
        __m256 q = _mm256_set1_ps(-5.70498872745E-3f);
        q = _mm256_fmadd_ps(q, z, _mm256_set1_ps(2.06390887954E-2f));
        q = _mm256_fmadd_ps(q, z, _mm256_set1_ps(-5.37397155531E-2f));
        q = _mm256_fmadd_ps(q, z, _mm256_set1_ps(1.33314422036E-1f));
        q = _mm256_fmadd_ps(q, z, _mm256_set1_ps(-3.33332819422E-1f));
        __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(q, z), av, av);
        t = _mm256_blendv_ps(t, small, _mm256_cmp_ps(av, _mm256_set1_ps(0.625f), _CMP_LT_OQ));
        return _mm256_or_ps(t, _mm256_and_ps(v, sign));
    }
    case HPC_ACT_STEP:
        return _mm256_and_ps(_mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_GE_OQ), _mm256_set1_ps(1.0f));
    default: return v;
    }
}

#endif
