/* AVX-512: 12x32 micro-kernel (24 zmm accumulators, 2 B vectors, broadcasts: 28 of 32 zmm), the
 * BLIS choice for two 512-bit FMA ports. Column edges use masked loads/stores of C (no copy);
 * row edges simply skip rows, so an element sees the same arithmetic in any tile. */
#include "core/internal.h"
#include "gemm/gemm_internal.h"
#include <immintrin.h>

#define MR 12
#define NR 32
#include "gemm/gemm_pack.h"

/* The eltwise family's vector math, so fused and unfused activations agree. */
#include "simd/simd_avx512.h"
#include "simd/vmath_simd.h"
#include "simd/act_simd.h"

/* Leaky ReLU needs a slope the fused entry point does not take; it is rejected before here. */
static inline __m512 act_ps(hpc_activation act, __m512 v) { return act_v(act, vzero(), v); }

static inline void finish_row(__m512 acc0, __m512 acc1, float alpha, float beta, float* dst, __mmask16 k0,
                              __mmask16 k1, __m512 bc0, __m512 bc1, const float* bias_r, const hpc_gemm_tile_epi* epi) {
    __m512 va = _mm512_set1_ps(alpha);
    __m512 v0 = _mm512_mul_ps(acc0, va), v1 = _mm512_mul_ps(acc1, va);
    if (beta != 0.0f) {
        __m512 vb = _mm512_set1_ps(beta);
        v0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(k0, dst), vb, v0);
        v1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(k1, dst + 16), vb, v1);
    }
    if (epi) {
        if (epi->bias_col) {
            v0 = _mm512_add_ps(v0, bc0);
            v1 = _mm512_add_ps(v1, bc1);
        } else if (bias_r) {
            __m512 br = _mm512_set1_ps(*bias_r);
            v0 = _mm512_add_ps(v0, br);
            v1 = _mm512_add_ps(v1, br);
        }
        v0 = act_ps(epi->act, v0);
        v1 = act_ps(epi->act, v1);
    }
    _mm512_mask_storeu_ps(dst, k0, v0);
    _mm512_mask_storeu_ps(dst + 16, k1, v1);
}

static void kernel_12x32(int64_t kc, const float* pa, const float* pb, int64_t ldb, float alpha, float beta,
                         float* c, int64_t ldc, int64_t mr, int64_t nr, const hpc_gemm_tile_epi* epi) {
    const int64_t sb = ldb ? ldb : NR; /* B row stride: packed panel or B in place */
    __m512 c0a = _mm512_setzero_ps(), c0b = _mm512_setzero_ps(), c1a = _mm512_setzero_ps(), c1b = _mm512_setzero_ps(),
           c2a = _mm512_setzero_ps(), c2b = _mm512_setzero_ps(), c3a = _mm512_setzero_ps(), c3b = _mm512_setzero_ps(),
           c4a = _mm512_setzero_ps(), c4b = _mm512_setzero_ps(), c5a = _mm512_setzero_ps(), c5b = _mm512_setzero_ps(),
           c6a = _mm512_setzero_ps(), c6b = _mm512_setzero_ps(), c7a = _mm512_setzero_ps(), c7b = _mm512_setzero_ps(),
           c8a = _mm512_setzero_ps(), c8b = _mm512_setzero_ps(), c9a = _mm512_setzero_ps(), c9b = _mm512_setzero_ps(),
           cAa = _mm512_setzero_ps(), cAb = _mm512_setzero_ps(), cBa = _mm512_setzero_ps(), cBb = _mm512_setzero_ps();
#define ROW(i, ca, cb)                                                                                            \
    av = _mm512_set1_ps(pa[(o)*MR + (i)]);                                                                        \
    ca = _mm512_fmadd_ps(av, b0, ca);                                                                             \
    cb = _mm512_fmadd_ps(av, b1, cb);
#define STEP(o_)                                                                                                  \
    do {                                                                                                          \
        const int64_t o = (o_);                                                                                   \
        __m512 b0 = _mm512_loadu_ps(pb + o * sb), b1 = _mm512_loadu_ps(pb + o * sb + 16), av;                       \
        ROW(0, c0a, c0b) ROW(1, c1a, c1b) ROW(2, c2a, c2b) ROW(3, c3a, c3b) ROW(4, c4a, c4b) ROW(5, c5a, c5b)    \
        ROW(6, c6a, c6b) ROW(7, c7a, c7b) ROW(8, c8a, c8b) ROW(9, c9a, c9b) ROW(10, cAa, cAb) ROW(11, cBa, cBb)   \
    } while (0)
    int64_t p = 0;
    for (; p + 2 <= kc; p += 2) {
        _mm_prefetch((const char*)(pb + 4 * sb), _MM_HINT_T0);
        STEP(0);
        STEP(1);
        pa += 2 * MR;
        pb += 2 * sb;
    }
    for (; p < kc; p++) {
        STEP(0);
        pa += MR;
        pb += sb;
    }
#undef STEP
#undef ROW
    __mmask16 k0 = nr >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nr) - 1);
    __mmask16 k1 = nr >= 32 ? (__mmask16)0xFFFF : nr > 16 ? (__mmask16)((1u << (nr - 16)) - 1) : (__mmask16)0;
    __m512 bc0 = _mm512_setzero_ps(), bc1 = _mm512_setzero_ps();
    const float* br = NULL;
    if (epi) {
        if (epi->bias_col) {
            bc0 = _mm512_maskz_loadu_ps(k0, epi->bias_col);
            bc1 = _mm512_maskz_loadu_ps(k1, epi->bias_col + 16);
        }
        br = epi->bias_row;
    }
#define FIN(i, ca, cb)                                                                                            \
    if ((i) < mr) finish_row(ca, cb, alpha, beta, c + (i)*ldc, k0, k1, bc0, bc1, br ? br + (i) : NULL, epi);
    FIN(0, c0a, c0b) FIN(1, c1a, c1b) FIN(2, c2a, c2b) FIN(3, c3a, c3b) FIN(4, c4a, c4b) FIN(5, c5a, c5b)
    FIN(6, c6a, c6b) FIN(7, c7a, c7b) FIN(8, c8a, c8b) FIN(9, c9a, c9b) FIN(10, cAa, cAb) FIN(11, cBa, cBb)
#undef FIN
}

static const hpc_gemm_arch* arch_avx512(void) {
    static hpc_gemm_arch arch;
    static int ready;
    if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
        arch.name = "avx512-12x32";
        arch.mr = MR;
        arch.nr = NR;
        hpc_gemm_blocking(MR, NR, &arch.mc, &arch.kc, &arch.nc);
        arch.kernel = kernel_12x32;
        arch.kernel_a = NULL;
        arch.pack_a = pack_a;
        arch.pack_b = pack_b;
        __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    }
    return &arch;
}

const hpc_gemm_kernels hpc_gemm_kernels_avx512 = {.packed = arch_avx512, .tiny_first = 1};
