/* The AVX2 + FMA vocabulary the *_simd.h templates are written in: 8 float lanes, masks as
 * all-ones float lanes. Included only from *_avx2.c files (compiled with -mavx2 -mfma). */
#ifndef HPC_SIMD_AVX2_H
#define HPC_SIMD_AVX2_H
#include <immintrin.h>
#include <stdint.h>

#define HPC_W 8
#define HPC_SFX(name) name##_avx2
typedef __m256 vf;
typedef __m256 vm;
typedef __m256i vi;

static inline vf vset1(float a) { return _mm256_set1_ps(a); }
static inline vf vzero(void) { return _mm256_setzero_ps(); }
static inline vf vload(const float* p) { return _mm256_loadu_ps(p); }
static inline void vstore(float* p, vf v) { _mm256_storeu_ps(p, v); }
/* Lanes [0, n) of a partial vector, n in [0, 8); the rest read as 0 and are never touched. */
static inline vi vtail_mask(int64_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
static inline vf vloadn(const float* p, int64_t n) { return _mm256_maskload_ps(p, vtail_mask(n)); }
static inline void vstoren(float* p, vf v, int64_t n) { _mm256_maskstore_ps(p, vtail_mask(n), v); }
/* Lanes [0, n) loaded, the others set to fill (e.g. -inf for a max reduction). */
static inline vf vloadn_fill(const float* p, int64_t n, float fill) {
    vi m = vtail_mask(n);
    return _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
}
/* Mask of lanes [0, n). */
static inline vm vlanes(int64_t n) { return _mm256_castsi256_ps(vtail_mask(n)); }
/* The even elements of p[0 .. 16): shuffle picks evens within lanes, permute orders the lanes
 * (a stride-2 row of a convolution or pool). */
static inline vf vload_even(const float* p) {
    __m256 e = _mm256_shuffle_ps(_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8), _MM_SHUFFLE(2, 0, 2, 0));
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), _MM_SHUFFLE(3, 1, 2, 0)));
}
static inline vf vadd(vf a, vf b) { return _mm256_add_ps(a, b); }
static inline vf vsub(vf a, vf b) { return _mm256_sub_ps(a, b); }
static inline vf vmul(vf a, vf b) { return _mm256_mul_ps(a, b); }
static inline vf vdiv(vf a, vf b) { return _mm256_div_ps(a, b); }
/* a * b + c and c - a * b, one rounding. */
static inline vf vfma(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }
static inline vf vfnma(vf a, vf b, vf c) { return _mm256_fnmadd_ps(a, b, c); }
/* The second operand is returned when either is NaN (x86 MAXPS/MINPS). */
static inline vf vmax(vf a, vf b) { return _mm256_max_ps(a, b); }
static inline vf vmin(vf a, vf b) { return _mm256_min_ps(a, b); }
static inline vf vabs(vf a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
static inline vf vsignbit(vf a) { return _mm256_and_ps(_mm256_set1_ps(-0.0f), a); }
static inline vf vxor(vf a, vf b) { return _mm256_xor_ps(a, b); }
static inline vf vround(vf a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
/* x = m * 2^e with m in [0.5, 1), for positive normal x. */
static inline vf vfrexp(vf x, vf* e) {
    vi b = _mm256_castps_si256(x);
    *e = _mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(b, 23), _mm256_set1_epi32(126)));
    b = _mm256_or_si256(_mm256_and_si256(b, _mm256_set1_epi32(0x007fffff)), _mm256_set1_epi32(0x3f000000));
    return _mm256_castsi256_ps(b);
}
/* 2^n for integral n in [-126, 127] held in a float vector. */
static inline vf vpow2i(vf n) {
    vi e = _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127));
    return _mm256_castsi256_ps(_mm256_slli_epi32(e, 23));
}
static inline vm vlt(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
static inline vm vle(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
static inline vm vgt(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
static inline vm vge(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
static inline vm veq(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
/* m ? b : a per lane. */
static inline vf vblend(vm m, vf a, vf b) { return _mm256_blendv_ps(a, b, m); }
/* m ? a : 0 per lane. */
static inline vf vand_mask(vm m, vf a) { return _mm256_and_ps(m, a); }
static inline float vsum(vf a) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
static inline float vhmax(vf a) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
/* Exact float -> double widening sum of all lanes, for loss accumulators. */
static inline double vsum_d(vf a) {
    __m256d d = _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(a)), _mm256_cvtps_pd(_mm256_extractf128_ps(a, 1)));
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(d), _mm256_extractf128_pd(d, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}
#endif
