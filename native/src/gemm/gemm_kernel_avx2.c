/* AVX2 + FMA: 6x16 micro-kernel (12 accumulators, 2 B vectors, 1 broadcast: 15 of 16 ymm) and
 * the epilogue applied to each row of the tile while it is still in registers. */
#include "core/internal.h"
#include "gemm/gemm_internal.h"
#include <immintrin.h>
#include <math.h>

#define MR 6
#define NR 16
#include "gemm/gemm_pack.h"

#include "gemm/gemm_avx2_math.h"

/* Finishes one row: v = alpha*acc (+ beta*c) (+ bias) then act, stored to dst (16 floats). */
static inline void finish_row(__m256 acc0, __m256 acc1, float alpha, float beta, float* dst, const float* bias_c,
                              float bias_r, const hpc_gemm_tile_epi* epi) {
    __m256 va = _mm256_set1_ps(alpha);
    __m256 v0 = _mm256_mul_ps(acc0, va), v1 = _mm256_mul_ps(acc1, va);
    if (beta != 0.0f) {
        __m256 vb = _mm256_set1_ps(beta);
        v0 = _mm256_fmadd_ps(_mm256_loadu_ps(dst), vb, v0);
        v1 = _mm256_fmadd_ps(_mm256_loadu_ps(dst + 8), vb, v1);
    }
    if (epi) {
        if (bias_c) {
            v0 = _mm256_add_ps(v0, _mm256_loadu_ps(bias_c));
            v1 = _mm256_add_ps(v1, _mm256_loadu_ps(bias_c + 8));
        } else if (epi->bias_row) {
            __m256 br = _mm256_set1_ps(bias_r);
            v0 = _mm256_add_ps(v0, br);
            v1 = _mm256_add_ps(v1, br);
        }
        v0 = act_ps(epi->act, v0);
        v1 = act_ps(epi->act, v1);
    }
    _mm256_storeu_ps(dst, v0);
    _mm256_storeu_ps(dst + 8, v1);
}

/* One k step: 2 B vectors (from B at byte offset bo), 6 broadcasts of A (byte offset ao), 12 FMAs
 * into ymm4..ymm15 (row i in ymm4+2i, +1). LD is vmovaps for packed B, vmovups for B in place. */
#define STEP(LD, bo, ao)                                                                                          \
    LD " " bo "(%[pb]), %%ymm0\n\t"                                                                               \
    LD " " bo "+32(%[pb]), %%ymm1\n\t"                                                                            \
    "vbroadcastss " ao "+0(%[pa]), %%ymm2\n\t"                                                                    \
    "vfmadd231ps %%ymm0, %%ymm2, %%ymm4\n\t"                                                                      \
    "vfmadd231ps %%ymm1, %%ymm2, %%ymm5\n\t"                                                                      \
    "vbroadcastss " ao "+4(%[pa]), %%ymm3\n\t"                                                                    \
    "vfmadd231ps %%ymm0, %%ymm3, %%ymm6\n\t"                                                                      \
    "vfmadd231ps %%ymm1, %%ymm3, %%ymm7\n\t"                                                                      \
    "vbroadcastss " ao "+8(%[pa]), %%ymm2\n\t"                                                                    \
    "vfmadd231ps %%ymm0, %%ymm2, %%ymm8\n\t"                                                                      \
    "vfmadd231ps %%ymm1, %%ymm2, %%ymm9\n\t"                                                                      \
    "vbroadcastss " ao "+12(%[pa]), %%ymm3\n\t"                                                                   \
    "vfmadd231ps %%ymm0, %%ymm3, %%ymm10\n\t"                                                                     \
    "vfmadd231ps %%ymm1, %%ymm3, %%ymm11\n\t"                                                                     \
    "vbroadcastss " ao "+16(%[pa]), %%ymm2\n\t"                                                                   \
    "vfmadd231ps %%ymm0, %%ymm2, %%ymm12\n\t"                                                                     \
    "vfmadd231ps %%ymm1, %%ymm2, %%ymm13\n\t"                                                                     \
    "vbroadcastss " ao "+20(%[pa]), %%ymm3\n\t"                                                                   \
    "vfmadd231ps %%ymm0, %%ymm3, %%ymm14\n\t"                                                                     \
    "vfmadd231ps %%ymm1, %%ymm3, %%ymm15\n\t"

#define ZERO_ACC                                                                                                  \
    "vxorps %%ymm4, %%ymm4, %%ymm4\n\t"                                                                           \
    "vxorps %%ymm5, %%ymm5, %%ymm5\n\t"                                                                           \
    "vxorps %%ymm6, %%ymm6, %%ymm6\n\t"                                                                           \
    "vxorps %%ymm7, %%ymm7, %%ymm7\n\t"                                                                           \
    "vxorps %%ymm8, %%ymm8, %%ymm8\n\t"                                                                           \
    "vxorps %%ymm9, %%ymm9, %%ymm9\n\t"                                                                           \
    "vxorps %%ymm10, %%ymm10, %%ymm10\n\t"                                                                        \
    "vxorps %%ymm11, %%ymm11, %%ymm11\n\t"                                                                        \
    "vxorps %%ymm12, %%ymm12, %%ymm12\n\t"                                                                        \
    "vxorps %%ymm13, %%ymm13, %%ymm13\n\t"                                                                        \
    "vxorps %%ymm14, %%ymm14, %%ymm14\n\t"                                                                        \
    "vxorps %%ymm15, %%ymm15, %%ymm15\n\t"

#define STORE_ACC                                                                                                 \
    "vmovaps %%ymm4, 0(%[acc])\n\t"                                                                               \
    "vmovaps %%ymm5, 32(%[acc])\n\t"                                                                              \
    "vmovaps %%ymm6, 64(%[acc])\n\t"                                                                              \
    "vmovaps %%ymm7, 96(%[acc])\n\t"                                                                              \
    "vmovaps %%ymm8, 128(%[acc])\n\t"                                                                             \
    "vmovaps %%ymm9, 160(%[acc])\n\t"                                                                             \
    "vmovaps %%ymm10, 192(%[acc])\n\t"                                                                            \
    "vmovaps %%ymm11, 224(%[acc])\n\t"                                                                            \
    "vmovaps %%ymm12, 256(%[acc])\n\t"                                                                            \
    "vmovaps %%ymm13, 288(%[acc])\n\t"                                                                            \
    "vmovaps %%ymm14, 320(%[acc])\n\t"                                                                            \
    "vmovaps %%ymm15, 352(%[acc])\n\t"

/* The full-tile finish while the sums are still in ymm4..15: C = act(alpha*acc (+ beta*C) (+ bias))
 * for act in {identity, relu}, stored straight to C's six rows (c0 = row 0, c3 = row 3, ldc in
 * bytes). The same operations in the same order as finish_row, so a tile finished here and one
 * finished in C agree bit for bit. Saves the trip of 12 accumulators through memory and the
 * generic finish (~250 cycles a tile, measured in L1 at kc = 64). fl holds FIN_* bits. */
#define FIN_BETA 1
#define FIN_BIAS_ROW 2
#define FIN_BIAS_COL 4
#define FIN_RELU 8
#define FIN_FLAG(bit, label) "test $" #bit ", %[fl]\n\t" "jz " label "\n\t"
#define STORE_C_ROW(i, base, idx, r0, r1)                                                                         \
    FIN_FLAG(1, "71" #i "f")                                                                                      \
    "vfmadd231ps (" base idx "), %%ymm1, %%ymm" #r0 "\n\t"                                                        \
    "vfmadd231ps 32(" base idx "), %%ymm1, %%ymm" #r1 "\n"                                                        \
    "71" #i ":\n\t"                                                                                               \
    FIN_FLAG(2, "72" #i "f")                                                                                      \
    "vbroadcastss 4*" #i "(%[bias]), %%ymm2\n\t"                                                                  \
    "vmovaps %%ymm2, %%ymm3\n"                                                                                    \
    "72" #i ":\n\t"                                                                                               \
    FIN_FLAG(6, "73" #i "f")                                                                                      \
    "vaddps %%ymm2, %%ymm" #r0 ", %%ymm" #r0 "\n\t"                                                               \
    "vaddps %%ymm3, %%ymm" #r1 ", %%ymm" #r1 "\n"                                                                 \
    "73" #i ":\n\t"                                                                                               \
    FIN_FLAG(8, "74" #i "f")                                                                                      \
    "vmaxps %%ymm" #r0 ", %%ymm0, %%ymm" #r0 "\n\t"                                                               \
    "vmaxps %%ymm" #r1 ", %%ymm0, %%ymm" #r1 "\n"                                                                 \
    "74" #i ":\n\t"                                                                                               \
    "vmovups %%ymm" #r0 ", (" base idx ")\n\t"                                                                    \
    "vmovups %%ymm" #r1 ", 32(" base idx ")\n\t"
#define STORE_C                                                                                                   \
    "vbroadcastss (%[ab]), %%ymm0\n\t"                                                                            \
    "vbroadcastss 4(%[ab]), %%ymm1\n\t"                                                                           \
    "vmulps %%ymm0, %%ymm4, %%ymm4\n\t"                                                                           \
    "vmulps %%ymm0, %%ymm5, %%ymm5\n\t"                                                                           \
    "vmulps %%ymm0, %%ymm6, %%ymm6\n\t"                                                                           \
    "vmulps %%ymm0, %%ymm7, %%ymm7\n\t"                                                                           \
    "vmulps %%ymm0, %%ymm8, %%ymm8\n\t"                                                                           \
    "vmulps %%ymm0, %%ymm9, %%ymm9\n\t"                                                                           \
    "vmulps %%ymm0, %%ymm10, %%ymm10\n\t"                                                                         \
    "vmulps %%ymm0, %%ymm11, %%ymm11\n\t"                                                                         \
    "vmulps %%ymm0, %%ymm12, %%ymm12\n\t"                                                                         \
    "vmulps %%ymm0, %%ymm13, %%ymm13\n\t"                                                                         \
    "vmulps %%ymm0, %%ymm14, %%ymm14\n\t"                                                                         \
    "vmulps %%ymm0, %%ymm15, %%ymm15\n\t"                                                                         \
    "vxorps %%ymm0, %%ymm0, %%ymm0\n\t"                                                                           \
    FIN_FLAG(4, "70f")                                                                                            \
    "vmovups (%[bias]), %%ymm2\n\t"                                                                               \
    "vmovups 32(%[bias]), %%ymm3\n"                                                                               \
    "70:\n\t"                                                                                                     \
    "lea (%[c0],%[ldc],2), %[c3]\n\t"                                                                             \
    "add %[ldc], %[c3]\n\t"                                                                                       \
    STORE_C_ROW(0, "%[c0]", "", 4, 5)                                                                             \
    STORE_C_ROW(1, "%[c0]", ",%[ldc],1", 6, 7)                                                                    \
    STORE_C_ROW(2, "%[c0]", ",%[ldc],2", 8, 9)                                                                    \
    STORE_C_ROW(3, "%[c3]", "", 10, 11)                                                                           \
    STORE_C_ROW(4, "%[c3]", ",%[ldc],1", 12, 13)                                                                  \
    STORE_C_ROW(5, "%[c3]", ",%[ldc],2", 14, 15)

/* Where the sums go: to C directly (c non-null) or to acc for the generic finish. */
#define FINISH                                                                                                    \
    "test %[c0], %[c0]\n\t"                                                                                       \
    "jz 5f\n\t"                                                                                                   \
    STORE_C                                                                                                       \
    "jmp 6f\n"                                                                                                    \
    "5:\n\t"                                                                                                      \
    STORE_ACC                                                                                                     \
    "6:\n\t"

#define ACC_CLOBBERS                                                                                              \
    "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",      \
        "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

/* The k loop in assembly: with 12 accumulators, 2 B vectors and the broadcasts the 16 ymm
 * registers are exactly full, and GCC spills accumulators in the intrinsic version (measured
 * ~20% slower). Leaves the 6x16 sums in acc (row-major, aligned). Packed B: rows 64 bytes apart. */
static inline void dot_6x16(int64_t kc, const float* pa, const float* pb, float* acc, float* c, int64_t ldc,
                            const float* ab, int64_t fl, const float* bias) {
    float* c3;
    ldc *= 4;
    int64_t k4 = kc >> 2, k1 = kc & 3;
    __asm__ volatile(
        ZERO_ACC
        "test %[k4], %[k4]\n\t"
        "jz 2f\n\t"
        ".p2align 5\n"
        "1:\n\t"
        "prefetcht0 512(%[pb])\n\t"
        STEP("vmovaps", "0", "0") STEP("vmovaps", "64", "24") STEP("vmovaps", "128", "48") STEP("vmovaps", "192", "72")
        "add $96, %[pa]\n\t"
        "add $256, %[pb]\n\t"
        "dec %[k4]\n\t"
        "jnz 1b\n"
        "2:\n\t"
        "test %[k1], %[k1]\n\t"
        "jz 4f\n"
        "3:\n\t"
        STEP("vmovaps", "0", "0")
        "add $24, %[pa]\n\t"
        "add $64, %[pb]\n\t"
        "dec %[k1]\n\t"
        "jnz 3b\n"
        "4:\n\t"
        FINISH
        : [pa] "+r"(pa), [pb] "+r"(pb), [k4] "+r"(k4), [k1] "+r"(k1), [c3] "=&r"(c3)
        : [acc] "r"(acc), [c0] "r"(c), [ldc] "r"(ldc), [ab] "r"(ab), [fl] "r"(fl), [bias] "r"(bias)
        : ACC_CLOBBERS);
}

/* Same with B read in place: 16 contiguous floats per k step, rows ldb floats apart (used when
 * there are too few rows of C to repay packing B). */
static inline void dot_6x16_b_in_place(int64_t kc, const float* pa, const float* b, int64_t ldb, float* acc, float* c,
                                       int64_t ldc, const float* ab, int64_t fl, const float* bias) {
    float* c3;
    ldc *= 4;
    int64_t k2 = kc >> 1, k1 = kc & 1, sb = ldb * 4;
    __asm__ volatile(
        ZERO_ACC
        "test %[k2], %[k2]\n\t"
        "jz 2f\n\t"
        ".p2align 5\n"
        "1:\n\t"
        STEP("vmovups", "0", "0")
        "add %[sb], %[pb]\n\t"
        STEP("vmovups", "0", "24")
        "add %[sb], %[pb]\n\t"
        "add $48, %[pa]\n\t"
        "dec %[k2]\n\t"
        "jnz 1b\n"
        "2:\n\t"
        "test %[k1], %[k1]\n\t"
        "jz 4f\n\t"
        STEP("vmovups", "0", "0")
        "4:\n\t"
        FINISH
        : [pa] "+r"(pa), [pb] "+r"(b), [k2] "+r"(k2), [k1] "+r"(k1), [c3] "=&r"(c3)
        : [acc] "r"(acc), [sb] "r"(sb), [c0] "r"(c), [ldc] "r"(ldc), [ab] "r"(ab), [fl] "r"(fl), [bias] "r"(bias)
        : ACC_CLOBBERS);
}
/* Same with op(A) = A read in place (6 rows lda apart, contiguous k) and B packed: used when C
 * has a single column panel, so a packed A block would be read exactly once. */
static inline void dot_6x16_a_in_place(int64_t kc, const float* a, int64_t lda, const float* pb, float* acc, float* c,
                                       int64_t ldc, const float* ab, int64_t fl, const float* bias) {
    float* c3;
    ldc *= 4;
    int64_t sa = lda * 4;
    const float* a3 = a + 3 * lda;
    __asm__ volatile(
        ZERO_ACC
        "test %[kc], %[kc]\n\t"
        "jz 4f\n\t"
        ".p2align 5\n"
        "1:\n\t"
        "vmovaps 0(%[pb]), %%ymm0\n\t"
        "vmovaps 32(%[pb]), %%ymm1\n\t"
        "vbroadcastss (%[a0]), %%ymm2\n\t"
        "vfmadd231ps %%ymm0, %%ymm2, %%ymm4\n\t"
        "vfmadd231ps %%ymm1, %%ymm2, %%ymm5\n\t"
        "vbroadcastss (%[a0],%[sa],1), %%ymm3\n\t"
        "vfmadd231ps %%ymm0, %%ymm3, %%ymm6\n\t"
        "vfmadd231ps %%ymm1, %%ymm3, %%ymm7\n\t"
        "vbroadcastss (%[a0],%[sa],2), %%ymm2\n\t"
        "vfmadd231ps %%ymm0, %%ymm2, %%ymm8\n\t"
        "vfmadd231ps %%ymm1, %%ymm2, %%ymm9\n\t"
        "vbroadcastss (%[a3]), %%ymm3\n\t"
        "vfmadd231ps %%ymm0, %%ymm3, %%ymm10\n\t"
        "vfmadd231ps %%ymm1, %%ymm3, %%ymm11\n\t"
        "vbroadcastss (%[a3],%[sa],1), %%ymm2\n\t"
        "vfmadd231ps %%ymm0, %%ymm2, %%ymm12\n\t"
        "vfmadd231ps %%ymm1, %%ymm2, %%ymm13\n\t"
        "vbroadcastss (%[a3],%[sa],2), %%ymm3\n\t"
        "vfmadd231ps %%ymm0, %%ymm3, %%ymm14\n\t"
        "vfmadd231ps %%ymm1, %%ymm3, %%ymm15\n\t"
        "add $4, %[a0]\n\t"
        "add $4, %[a3]\n\t"
        "add $64, %[pb]\n\t"
        "dec %[kc]\n\t"
        "jnz 1b\n"
        "4:\n\t"
        FINISH
        : [a0] "+r"(a), [a3] "+r"(a3), [pb] "+r"(pb), [kc] "+r"(kc), [c3] "=&r"(c3)
        : [acc] "r"(acc), [sa] "r"(sa), [c0] "r"(c), [ldc] "r"(ldc), [ab] "r"(ab), [fl] "r"(fl), [bias] "r"(bias)
        : ACC_CLOBBERS);
}
#undef STEP
#undef ZERO_ACC
#undef STORE_ACC
#undef STORE_C_ROW
#undef STORE_C
#undef FINISH
#undef FIN_FLAG
#undef ACC_CLOBBERS

static inline void prefetch_c(float* c, int64_t ldc, int64_t mr) {
    for (int64_t i = 0; i < mr; i++) {
        _mm_prefetch((const char*)(c + i * ldc), _MM_HINT_T0);
        _mm_prefetch((const char*)(c + i * ldc + NR - 1), _MM_HINT_T0);
    }
}

/* C tile = act(alpha * acc + beta * C + bias) for the valid mr x nr part. */
static void finish_tile(const float* acc, float alpha, float beta, float* c, int64_t ldc, int64_t mr, int64_t nr,
                        const hpc_gemm_tile_epi* epi) {
#define ACC(i) _mm256_load_ps(acc + (i)*NR), _mm256_load_ps(acc + (i)*NR + 8)
    /* Edge tiles go through an aligned 6x16 copy of C so that every element sees exactly the
     * arithmetic of a full tile (results must not depend on where tile boundaries fall). */
    float tmp[MR * NR] __attribute__((aligned(32)));
    float bias_c[NR];
    float bias_r[MR] = {0};
    int full = mr == MR && nr == NR;
    float* dst = c;
    int64_t ldd = ldc;
    if (!full) {
        dst = tmp;
        ldd = NR;
        if (beta != 0.0f)
            for (int64_t i = 0; i < MR; i++)
                for (int64_t j = 0; j < NR; j++) tmp[i * NR + j] = i < mr && j < nr ? c[i * ldc + j] : 0.0f;
    }
    const float* bc = NULL;
    if (epi) {
        if (epi->bias_col) {
            for (int64_t j = 0; j < NR; j++) bias_c[j] = j < nr ? epi->bias_col[j] : 0.0f;
            bc = bias_c;
        }
        if (epi->bias_row)
            for (int64_t i = 0; i < mr; i++) bias_r[i] = epi->bias_row[i];
    }
    finish_row(ACC(0), alpha, beta, dst + 0 * ldd, bc, bias_r[0], epi);
    finish_row(ACC(1), alpha, beta, dst + 1 * ldd, bc, bias_r[1], epi);
    finish_row(ACC(2), alpha, beta, dst + 2 * ldd, bc, bias_r[2], epi);
    finish_row(ACC(3), alpha, beta, dst + 3 * ldd, bc, bias_r[3], epi);
    finish_row(ACC(4), alpha, beta, dst + 4 * ldd, bc, bias_r[4], epi);
    finish_row(ACC(5), alpha, beta, dst + 5 * ldd, bc, bias_r[5], epi);
    if (!full)
        for (int64_t i = 0; i < mr; i++)
            for (int64_t j = 0; j < nr; j++) c[i * ldc + j] = tmp[i * NR + j];
#undef ACC
}

/* FIN_* bits for the in-register finish of a full tile, or -1 when the tile needs the generic
 * finish (an edge tile, or an activation other than relu). */
static inline int64_t direct_finish(int64_t mr, int64_t nr, float beta, const hpc_gemm_tile_epi* epi,
                                    const float** bias) {
    if (mr != MR || nr != NR) return -1;
    int64_t fl = beta != 0.0f ? FIN_BETA : 0;
    *bias = NULL;
    if (epi) {
        if (epi->act == HPC_ACT_RELU) fl |= FIN_RELU;
        else if (epi->act != HPC_ACT_IDENTITY) return -1;
        if (epi->bias_row) fl |= FIN_BIAS_ROW, *bias = epi->bias_row;
        else if (epi->bias_col) fl |= FIN_BIAS_COL, *bias = epi->bias_col;
    }
    return fl;
}

static void kernel_6x16(int64_t kc, const float* pa, const float* pb, int64_t ldb, float alpha, float beta, float* c,
                        int64_t ldc, int64_t mr, int64_t nr, const hpc_gemm_tile_epi* epi) {
    prefetch_c(c, ldc, mr);
    float acc[MR * NR] __attribute__((aligned(32)));
    const float ab[2] = {alpha, beta};
    const float* bias = NULL;
    int64_t fl = direct_finish(mr, nr, beta, epi, &bias);
    float* cd = fl >= 0 ? c : NULL;
    if (ldb) dot_6x16_b_in_place(kc, pa, pb, ldb, acc, cd, ldc, ab, fl, bias);
    else dot_6x16(kc, pa, pb, acc, cd, ldc, ab, fl, bias);
    if (!cd) finish_tile(acc, alpha, beta, c, ldc, mr, nr, epi);
}

static void kernel_a_6x16(int64_t kc, const float* a, int64_t lda, const float* pb, float alpha, float beta, float* c,
                          int64_t ldc, int64_t nr, const hpc_gemm_tile_epi* epi) {
    prefetch_c(c, ldc, MR);
    float acc[MR * NR] __attribute__((aligned(32)));
    const float ab[2] = {alpha, beta};
    const float* bias = NULL;
    int64_t fl = direct_finish(MR, nr, beta, epi, &bias);
    float* cd = fl >= 0 ? c : NULL;
    dot_6x16_a_in_place(kc, a, lda, pb, acc, cd, ldc, ab, fl, bias);
    if (!cd) finish_tile(acc, alpha, beta, c, ldc, MR, nr, epi);
}

static const hpc_gemm_arch* arch_avx2(void) {
    static hpc_gemm_arch arch;
    static int ready;
    if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
        arch.name = "avx2-6x16";
        arch.mr = MR;
        arch.nr = NR;
        hpc_gemm_blocking(MR, NR, &arch.mc, &arch.kc, &arch.nc);
        arch.kernel = kernel_6x16;
        arch.kernel_a = kernel_a_6x16;
        arch.pack_a = pack_a;
        arch.pack_b = pack_b;
        __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    }
    return &arch;
}

const hpc_gemm_kernels hpc_gemm_kernels_avx2 = {.packed = arch_avx2, .tiny_first = 1};
