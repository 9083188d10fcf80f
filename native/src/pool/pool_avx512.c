/* AVX-512 pooling planes: 16 output columns per vector, comparisons into mask registers. */
#include "simd/simd_avx512.h"

#define HPC_POOL_SUFFIX avx512
#define LANES 16
#define VF __m512
#define VI __m512i
#define VM __mmask16
#define V_LOAD_S1(p) _mm512_loadu_ps(p)
#define V_LOAD_S2(p) vload_even(p)
#define V_GATHER(p, offs) _mm512_i32gather_ps((offs), (p), 4)
#define V_TAKE(v, best)                                                                                  \
    (__mmask16)(_mm512_cmp_ps_mask((v), (best), _CMP_GT_OQ) |                                            \
                (_mm512_cmp_ps_mask((v), (v), _CMP_UNORD_Q) & _mm512_cmp_ps_mask((best), (best), _CMP_ORD_Q)))
#define V_BLEND(m, a, b) _mm512_mask_blend_ps((m), (a), (b))
#define VI_BLEND(m, a, b) _mm512_mask_blend_epi32((m), (a), (b))
#define VI_LANES(step) \
    _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32(step))
#define VI_SET1(v) _mm512_set1_epi32(v)
#define VI_ADD(a, b) _mm512_add_epi32((a), (b))
#define V_SET1(v) _mm512_set1_ps(v)
#define V_ADD(a, b) _mm512_add_ps((a), (b))
#define V_DIV(a, b) _mm512_div_ps((a), (b))
#define V_STORE(p, v) _mm512_storeu_ps((p), (v))
#define VI_STORE(p, v) _mm512_storeu_si512((void*)(p), (v))

#include "pool/pool_simd_impl.h"
