/* AVX2 pooling planes: 8 output columns per vector. */
#include "simd/simd_avx2.h"

#define HPC_POOL_SUFFIX avx2
#define LANES 8
#define VF __m256
#define VI __m256i
#define VM __m256
#define V_LOAD_S1(p) _mm256_loadu_ps(p)
#define V_LOAD_S2(p) vload_even(p)
#define V_GATHER(p, offs) _mm256_i32gather_ps((p), (offs), 4)
#define V_TAKE(v, best)                                                                               \
    _mm256_or_ps(_mm256_cmp_ps((v), (best), _CMP_GT_OQ),                                              \
                 _mm256_and_ps(_mm256_cmp_ps((v), (v), _CMP_UNORD_Q), _mm256_cmp_ps((best), (best), _CMP_ORD_Q)))
#define V_BLEND(m, a, b) _mm256_blendv_ps((a), (b), (m))
#define VI_BLEND(m, a, b) \
    _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(a), _mm256_castsi256_ps(b), (m)))
#define VI_LANES(step) _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(step))
#define VI_SET1(v) _mm256_set1_epi32(v)
#define VI_ADD(a, b) _mm256_add_epi32((a), (b))
#define V_SET1(v) _mm256_set1_ps(v)
#define V_ADD(a, b) _mm256_add_ps((a), (b))
#define V_DIV(a, b) _mm256_div_ps((a), (b))
#define V_STORE(p, v) _mm256_storeu_ps((p), (v))
#define VI_STORE(p, v) _mm256_storeu_si256((__m256i*)(void*)(p), (v))

#include "pool/pool_simd_impl.h"
