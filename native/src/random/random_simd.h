/* Philox4x32-10 on HPC_W blocks at once, and the uniform / dropout kernels over whole
 * 64-element super-blocks (see random_internal.h); the partial super-blocks at either end use
 * the scalar word function. Instantiated by random_avx2.c and random_avx512.c after
 * simd/simd_<isa>.h; the few integer operations are spelled per width here. */
#include "random/random_internal.h"

#if HPC_W == 8
typedef __m256i vu;
static inline vu vu_set1(uint32_t a) { return _mm256_set1_epi32((int)a); }
static inline vu vu_add(vu a, vu b) { return _mm256_add_epi32(a, b); }
static inline vu vu_xor(vu a, vu b) { return _mm256_xor_si256(a, b); }
static inline vu vu_iota(void) { return _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7); }
/* 32 x 32 -> 64-bit products of every lane: even lanes directly, odd lanes shifted down. */
static inline void vu_mulhilo(vu a, vu m, vu* hi, vu* lo) {
    vu pe = _mm256_mul_epu32(a, m), po = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
    *lo = _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);
    *hi = _mm256_blend_epi32(_mm256_srli_epi64(pe, 32), po, 0xAA);
}
static inline vf vu_unit(vu w) {
    return _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(w, 8)), _mm256_set1_ps(1.0f / 16777216.0f));
}
#else
typedef __m512i vu;
static inline vu vu_set1(uint32_t a) { return _mm512_set1_epi32((int)a); }
static inline vu vu_add(vu a, vu b) { return _mm512_add_epi32(a, b); }
static inline vu vu_xor(vu a, vu b) { return _mm512_xor_si512(a, b); }
static inline vu vu_iota(void) { return _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15); }
static inline void vu_mulhilo(vu a, vu m, vu* hi, vu* lo) {
    vu pe = _mm512_mul_epu32(a, m), po = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), m);
    *lo = _mm512_mask_blend_epi32((__mmask16)0xAAAA, pe, _mm512_slli_epi64(po, 32));
    *hi = _mm512_mask_blend_epi32((__mmask16)0xAAAA, _mm512_srli_epi64(pe, 32), po);
}
static inline vf vu_unit(vu w) {
    return _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(w, 8)), _mm512_set1_ps(1.0f / 16777216.0f));
}
#endif

/* Words of blocks counter .. counter + HPC_W - 1 (counter a multiple of 16, so the low word
 * never carries into the high one). */
static inline void HPC_SFX(philox)(uint64_t seed, uint64_t counter, vf u[4]) {
    vu c0 = vu_add(vu_set1((uint32_t)counter), vu_iota()), c1 = vu_set1((uint32_t)(counter >> 32));
    vu c2 = vu_set1(0), c3 = vu_set1(0);
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    const vu m0 = vu_set1(HPC_PHILOX_M0), m1 = vu_set1(HPC_PHILOX_M1);
    for (int r = 0; r < 10; r++) {
        vu h0, l0, h1, l1;
        vu_mulhilo(c0, m0, &h0, &l0);
        vu_mulhilo(c2, m1, &h1, &l1);
        c0 = vu_xor(vu_xor(h1, c1), vu_set1(k0));
        c1 = l1;
        c2 = vu_xor(vu_xor(h0, c3), vu_set1(k1));
        c3 = l0;
        k0 += HPC_PHILOX_W0;
        k1 += HPC_PHILOX_W1;
    }
    u[0] = vu_unit(c0), u[1] = vu_unit(c1), u[2] = vu_unit(c2), u[3] = vu_unit(c3);
}

/* Runs the scalar kernel on the partial super-blocks at both ends and BODY(g, i) on every
 * HPC_W-element group of the whole super-blocks between (g = stream index, i = array index,
 * u = the unit floats of that group). */
#define HPC_RNG_LOOP(seed, offset, n, SCALAR_RANGE, BODY)                                          \
    do {                                                                                         \
        uint64_t head = (64 - (offset) % 64) % 64;                                               \
        if ((uint64_t)(n) <= head) head = (uint64_t)(n);                                         \
        SCALAR_RANGE(0, (int64_t)head);                                                          \
        int64_t i0 = (int64_t)head;                                                              \
        for (; i0 + 64 <= (n); i0 += 64) {                                                       \
            uint64_t s = ((offset) + (uint64_t)i0) / 64;                                         \
            for (int h = 0; h < 16; h += HPC_W) {                                                \
                vf u[4];                                                                         \
                HPC_SFX(philox)((seed), s * 16 + (uint64_t)h, u);                                \
                for (int w = 0; w < 4; w++) {                                                    \
                    int64_t i = i0 + 16 * w + h;                                                 \
                    vf uw = u[w];                                                                \
                    BODY;                                                                        \
                }                                                                                \
            }                                                                                    \
        }                                                                                        \
        SCALAR_RANGE(i0, (n));                                                                   \
    } while (0)

static void HPC_SFX(uniform)(uint64_t seed, uint64_t offset, int64_t n, float lo, float hi, float* out) {
    const float range = hi - lo;
    const vf vlo = vset1(lo), vr = vset1(range);
#define SCALAR_RANGE(a, b)                                                                         \
    for (int64_t i = (a); i < (b); i++) out[i] = lo + range * hpc_rng_unit(hpc_rng_word(seed, offset + (uint64_t)i))
    HPC_RNG_LOOP(seed, offset, n, SCALAR_RANGE, vstore(out + i, vadd(vlo, vmul(vr, uw))));
#undef SCALAR_RANGE
}

static void HPC_SFX(dropout)(uint64_t seed, uint64_t offset, int64_t n, float keep, float scale, const float* x,
                             float* mask, float* y) {
    const vf vk = vset1(keep), vs = vset1(scale);
#define SCALAR_RANGE(a, b)                                                                         \
    for (int64_t i = (a); i < (b); i++) {                                                        \
        float m = hpc_rng_unit(hpc_rng_word(seed, offset + (uint64_t)i)) < keep ? scale : 0.0f;  \
        if (mask) mask[i] = m;                                                                   \
        y[i] = x[i] * m;                                                                         \
    }
    HPC_RNG_LOOP(seed, offset, n, SCALAR_RANGE, {
        vf m = vand_mask(vlt(uw, vk), vs);
        if (mask) vstore(mask + i, m);
        vstore(y + i, vmul(vload(x + i), m));
    });
#undef SCALAR_RANGE
}

static void HPC_SFX(mul)(int64_t n, const float* a, const float* b, float* out) {
    int64_t i = 0;
    for (; i + HPC_W <= n; i += HPC_W) vstore(out + i, vmul(vload(a + i), vload(b + i)));
    if (i < n) vstoren(out + i, vmul(vloadn(a + i, n - i), vloadn(b + i, n - i)), n - i);
}

const hpc_random_kernels HPC_SFX(hpc_random_kernels) = {HPC_SFX(uniform), HPC_SFX(dropout), HPC_SFX(mul)};
