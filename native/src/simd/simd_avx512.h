/* The AVX-512 (F/DQ) vocabulary the *_simd.h templates are written in: 16 float lanes, masks
 * as k registers. Included only from *_avx512.c files. */
#ifndef HPC_SIMD_AVX512_H
#define HPC_SIMD_AVX512_H
#include <immintrin.h>
#include <stdint.h>

#define HPC_W 16
#define HPC_SFX(name) name##_avx512
typedef __m512 vf;
typedef __mmask16 vm;

static inline vf vset1(float a) { return _mm512_set1_ps(a); }
static inline vf vzero(void) { return _mm512_setzero_ps(); }
static inline vf vload(const float* p) { return _mm512_loadu_ps(p); }
static inline void vstore(float* p, vf v) { _mm512_storeu_ps(p, v); }
static inline __mmask16 vtail_mask(int64_t n) { return (__mmask16)((1u << n) - 1u); }
/* Lanes [0, n) of a partial vector, n in [0, 16); masked lanes are neither read nor written. */
static inline vf vloadn(const float* p, int64_t n) { return _mm512_maskz_loadu_ps(vtail_mask(n), p); }
static inline void vstoren(float* p, vf v, int64_t n) { _mm512_mask_storeu_ps(p, vtail_mask(n), v); }
/* Lanes [0, n) loaded, the others set to fill (e.g. -inf for a max reduction). */
static inline vf vloadn_fill(const float* p, int64_t n, float fill) {
    return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), vtail_mask(n), p);
}
/* Mask of lanes [0, n). */
static inline vm vlanes(int64_t n) { return vtail_mask(n); }
/* The even elements of p[0 .. 32), with a two-source permute (a stride-2 row). */
static inline vf vload_even(const float* p) {
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    return _mm512_permutex2var_ps(_mm512_loadu_ps(p), evens, _mm512_loadu_ps(p + 16));
}
static inline vf vadd(vf a, vf b) { return _mm512_add_ps(a, b); }
static inline vf vsub(vf a, vf b) { return _mm512_sub_ps(a, b); }
static inline vf vmul(vf a, vf b) { return _mm512_mul_ps(a, b); }
static inline vf vdiv(vf a, vf b) { return _mm512_div_ps(a, b); }
static inline vf vfma(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }
static inline vf vfnma(vf a, vf b, vf c) { return _mm512_fnmadd_ps(a, b, c); }
/* Same NaN rule as AVX2: the second operand is returned when either is NaN. */
static inline vf vmax(vf a, vf b) { return _mm512_max_ps(a, b); }
static inline vf vmin(vf a, vf b) { return _mm512_min_ps(a, b); }
static inline vf vabs(vf a) { return _mm512_andnot_ps(_mm512_set1_ps(-0.0f), a); }
static inline vf vsignbit(vf a) { return _mm512_and_ps(_mm512_set1_ps(-0.0f), a); }
static inline vf vxor(vf a, vf b) { return _mm512_xor_ps(a, b); }
static inline vf vround(vf a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
/* x = m * 2^e with m in [0.5, 1), for positive normal x. */
static inline vf vfrexp(vf x, vf* e) {
    __m512i b = _mm512_castps_si512(x);
    *e = _mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_srli_epi32(b, 23), _mm512_set1_epi32(126)));
    b = _mm512_or_si512(_mm512_and_si512(b, _mm512_set1_epi32(0x007fffff)), _mm512_set1_epi32(0x3f000000));
    return _mm512_castsi512_ps(b);
}
static inline vf vpow2i(vf n) {
    __m512i e = _mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127));
    return _mm512_castsi512_ps(_mm512_slli_epi32(e, 23));
}
static inline vm vlt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
static inline vm vle(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
static inline vm vgt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
static inline vm vge(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
static inline vm veq(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
static inline vf vblend(vm m, vf a, vf b) { return _mm512_mask_blend_ps(m, a, b); }
static inline vf vand_mask(vm m, vf a) { return _mm512_maskz_mov_ps(m, a); }
static inline float vsum(vf a) {
    __m256 h = _mm256_add_ps(_mm512_castps512_ps256(a), _mm512_extractf32x8_ps(a, 1));
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
static inline float vhmax(vf a) { return _mm512_reduce_max_ps(a); }
static inline double vsum_d(vf a) {
    __m512d d = _mm512_add_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(a)), _mm512_cvtps_pd(_mm512_extractf32x8_ps(a, 1)));
    return _mm512_reduce_add_pd(d);
}
#endif
