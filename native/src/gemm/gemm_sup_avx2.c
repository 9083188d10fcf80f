/* AVX2 small-matrix ("sup") path: C rows computed straight from the unpacked operands, for
 * products with few rows of C (batch-1 inference, GEMV-like). Packing B would copy all of B once
 * per call to reuse it at most m times; here every element of B is read once per group of up
 * to 3 rows of C, straight from where it lives.
 *
 * op(B) = B (rows of B contiguous): row blocks of C accumulate over k in registers,
 *   rows x vectors = 1 x 8, 2 x 6, 3 x 4 (12 accumulators at most, B streamed through one register).
 * op(B) = B^T with op(A) = A: dot products along contiguous k, 1 x 8, 2 x 4, 3 x 4 columns.
 * Both finish through the same vector epilogue as the packed kernel. */
#include "core/internal.h"
#include "gemm/gemm_internal.h"
#include "gemm/gemm_avx2_math.h"
#include <immintrin.h>

#define SUP_MAX_COLS 64

static inline __m256i tail_mask(int64_t n) {
    /* lanes < n set */
    __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), idx);
}

/* c[0:n] = act(alpha * t + beta * c + bias), n <= SUP_MAX_COLS; bias_c is per column (n values) or
 * null, bias_r a scalar added when has_r. */
static void finish_span(const float* t, int64_t n, float alpha, float beta, float* c, const hpc_gemm_epi* epi,
                        const float* bias_c, float bias_r) {
    __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    for (int64_t j = 0; j < n; j += 8) {
        int64_t w = n - j < 8 ? n - j : 8;
        __m256i m = tail_mask(w);
        __m256 v = _mm256_mul_ps(_mm256_loadu_ps(t + j), va);
        if (beta != 0.0f) v = _mm256_fmadd_ps(_mm256_maskload_ps(c + j, m), vb, v);
        if (epi) {
            if (bias_c) v = _mm256_add_ps(v, _mm256_maskload_ps(bias_c + j, m));
            else if (epi->bias_mode == HPC_BIAS_ROW) v = _mm256_add_ps(v, _mm256_set1_ps(bias_r));
            v = act_ps(epi->act, v);
        }
        _mm256_maskstore_ps(c + j, m, v);
    }
}

/* ---- op(B) = B: C[r][0:8*CB] over all k; a(r, p) = a[r*sai + p*sap] ---- */
static inline __attribute__((always_inline)) void rows_nn(const int RM, const int CB, int64_t k, const float* a,
                                                          int64_t sai, int64_t sap, const float* b, int64_t ldb,
                                                          int64_t ncols, float* t /* RM x SUP_MAX_COLS */) {
    __m256 acc[3][8];
    for (int r = 0; r < RM; r++)
        for (int v = 0; v < CB; v++) acc[r][v] = _mm256_setzero_ps();
    __m256i last = tail_mask(ncols - 8 * (CB - 1));
    for (int64_t p = 0; p < k; p++) {
        const float* bp = b + p * ldb;
        __m256 av[3];
        for (int r = 0; r < RM; r++) av[r] = _mm256_broadcast_ss(a + r * sai + p * sap);
        for (int v = 0; v < CB; v++) {
            __m256 bv = v == CB - 1 && ncols < 8 * CB ? _mm256_maskload_ps(bp + 8 * v, last) : _mm256_loadu_ps(bp + 8 * v);
            for (int r = 0; r < RM; r++) acc[r][v] = _mm256_fmadd_ps(av[r], bv, acc[r][v]);
        }
    }
    for (int r = 0; r < RM; r++)
        for (int v = 0; v < CB; v++) _mm256_storeu_ps(t + r * SUP_MAX_COLS + 8 * v, acc[r][v]);
}

/* ---- op(B) = B^T, op(A) = A: C[r][j] = dot(a row r, b row j), JB columns at a time ---- */
static inline float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

static inline __attribute__((always_inline)) void rows_nt(const int RM, const int JB, int64_t k, const float* a,
                                                          int64_t lda, const float* b, int64_t ldb, int64_t ncols,
                                                          float* t) {
    __m256 acc[3][8];
    for (int r = 0; r < RM; r++)
        for (int j = 0; j < JB; j++) acc[r][j] = _mm256_setzero_ps();
    int64_t p = 0;
    /* columns past ncols re-read the last valid row of B (results discarded) */
    const float* br[8];
    for (int j = 0; j < JB; j++) br[j] = b + (j < ncols ? j : ncols - 1) * ldb;
    for (; p + 8 <= k; p += 8) {
        __m256 av[3];
        for (int r = 0; r < RM; r++) av[r] = _mm256_loadu_ps(a + r * lda + p);
        for (int j = 0; j < JB; j++) {
            __m256 bv = _mm256_loadu_ps(br[j] + p);
            for (int r = 0; r < RM; r++) acc[r][j] = _mm256_fmadd_ps(av[r], bv, acc[r][j]);
        }
    }
    if (p < k) {
        __m256i m = tail_mask(k - p);
        __m256 av[3];
        for (int r = 0; r < RM; r++) av[r] = _mm256_maskload_ps(a + r * lda + p, m);
        for (int j = 0; j < JB; j++) {
            __m256 bv = _mm256_maskload_ps(br[j] + p, m);
            for (int r = 0; r < RM; r++) acc[r][j] = _mm256_fmadd_ps(av[r], bv, acc[r][j]);
        }
    }
    for (int r = 0; r < RM; r++)
        for (int j = 0; j < JB; j++) t[r * SUP_MAX_COLS + j] = hsum(acc[r][j]);
}

#define NN_CASE(RM, CB)                                                                                           \
    case CB: rows_nn(RM, CB, k, ap, sai, sap, b + j, ldb, w, t); break;
#define NT_CASE(RM, JB)                                                                                           \
    case JB: rows_nt(RM, JB, k, ap, lda, b + j * ldb, ldb, w, t); break;

static void sup_avx2(hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                     int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc,
                     const hpc_gemm_epi* epi, int64_t row0, int64_t col0) {
    float t[3 * SUP_MAX_COLS] __attribute__((aligned(32)));
    int64_t sai = ta ? 1 : lda, sap = ta ? lda : 1;
    for (int64_t i = 0; i < m;) {
        int64_t left = m - i;
        int rm = left == 4 ? 2 : left >= 3 ? 3 : (int)left;
        const float* ap = a + i * sai;
        int64_t span = tb ? (rm == 1 ? 8 : 4) : (rm == 1 ? 64 : rm == 2 ? 48 : 32);
        for (int64_t j = 0; j < n; j += span) {
            int64_t w = n - j < span ? n - j : span;
            if (!tb) {
                int nv = (int)((w + 7) / 8);
                if (rm == 1) switch (nv) { NN_CASE(1, 1) NN_CASE(1, 2) NN_CASE(1, 3) NN_CASE(1, 4) NN_CASE(1, 5)
                                           NN_CASE(1, 6) NN_CASE(1, 7) NN_CASE(1, 8) }
                else if (rm == 2) switch (nv) { NN_CASE(2, 1) NN_CASE(2, 2) NN_CASE(2, 3) NN_CASE(2, 4)
                                                NN_CASE(2, 5) NN_CASE(2, 6) }
                else switch (nv) { NN_CASE(3, 1) NN_CASE(3, 2) NN_CASE(3, 3) NN_CASE(3, 4) }
            } else {
                if (rm == 1) switch ((int)w) { NT_CASE(1, 1) NT_CASE(1, 2) NT_CASE(1, 3) NT_CASE(1, 4)
                                               NT_CASE(1, 5) NT_CASE(1, 6) NT_CASE(1, 7) NT_CASE(1, 8) }
                else if (rm == 2) switch ((int)w) { NT_CASE(2, 1) NT_CASE(2, 2) NT_CASE(2, 3) NT_CASE(2, 4) }
                else switch ((int)w) { NT_CASE(3, 1) NT_CASE(3, 2) NT_CASE(3, 3) NT_CASE(3, 4) }
            }
            for (int r = 0; r < rm; r++) {
                const float* bc = epi && epi->bias_mode == HPC_BIAS_COL ? epi->bias + col0 + j : NULL;
                float br = epi && epi->bias_mode == HPC_BIAS_ROW ? epi->bias[row0 + i + r] : 0.0f;
                finish_span(t + r * SUP_MAX_COLS, w, alpha, beta, c + (i + r) * ldc + j, epi, bc, br);
            }
        }
        i += rm;
    }
}
#undef NN_CASE
#undef NT_CASE

/* The sup path covers op(B) = B for any op(A), and op(B) = B^T with op(A) = A (contiguous k for
 * both). Row limits measured on the Zen 3 EPYC of bench/native/GEMM_RESULTS.md, 1 thread, CPU time,
 * n x k in {256x784, 784x256, 512x512}, GFLOP/s sup vs packed:
 *   op(B) = B:    m=1 21 vs 4.6, m=4 26 vs 16-18, m=5 28 vs 17-26, m=6 30 vs 29, m=12 28 vs 37-44
 *   op(B) = B^T:  m=1 21 vs 2.7, m=6 29 vs 11, m=8 27 vs 18, m=12 29 vs 29 (transposed packing of B
 *                 costs more than the small product)
 * so sup up to m = 5 (B) and m = 11 (B^T). */
#define SUP_MAX_M_NN 5
#define SUP_MAX_M_NT 11

static int sup_fits_avx2(hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n, int64_t k) {
    if (tb) return !ta && m <= SUP_MAX_M_NT;
    return m <= SUP_MAX_M_NN;
}

const hpc_gemm_small_kernels hpc_gemm_small_kernels_avx2 = {sup_avx2, sup_fits_avx2};
