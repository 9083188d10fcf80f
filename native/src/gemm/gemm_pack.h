/* Packing op(A) and op(B) into the k-major micro-panels a kernel streams; transposes are
 * absorbed here, so kernels see one layout only. A template: the including kernel file defines
 * MR and NR first, so the inner copies have fixed sizes the compiler turns into its vectors. */
#ifndef MR
#error "define MR and NR before including gemm_pack.h"
#endif
#include "simd/transpose8_avx2.h"
#include <immintrin.h>
#include <stdint.h>

/* op(A)[i0:i0+mb, p0:p0+kb] -> MR-row panels, pa[panel][p][i], rows past mb zeroed. */
static void pack_a(hpc_transpose ta, const float* a, int64_t lda, int64_t i0, int64_t mb, int64_t p0, int64_t kb,
                   float* dst) {
    for (int64_t ir = 0; ir < mb; ir += MR) {
        int64_t rows = mb - ir < MR ? mb - ir : MR;
        float* d = dst + ir * kb;
        if (ta) {
            /* op(A)[i][p] = a[p][i]: each k step is a contiguous run of rows */
            const float* s = a + p0 * lda + i0 + ir;
            if (rows == MR) {
                for (int64_t p = 0; p < kb; p++, s += lda, d += MR)
                    for (int i = 0; i < MR; i++) d[i] = s[i];
            } else {
                for (int64_t p = 0; p < kb; p++, s += lda, d += MR)
                    for (int i = 0; i < MR; i++) d[i] = i < rows ? s[i] : 0.0f;
            }
        } else {
            /* MR row streams read in step, one contiguous MR-float group written per k */
            const float* r[MR];
            for (int i = 0; i < MR; i++) r[i] = a + (i0 + ir + (i < rows ? i : 0)) * lda + p0;
            if (rows == MR) {
                for (int64_t p = 0; p < kb; p++, d += MR)
                    for (int i = 0; i < MR; i++) d[i] = r[i][p];
            } else {
                for (int64_t p = 0; p < kb; p++, d += MR)
                    for (int i = 0; i < MR; i++) d[i] = i < rows ? r[i][p] : 0.0f;
            }
        }
    }
}

/* op(B)[p0:p0+kb, j0:j0+nb] -> NR-column panels, pb[panel][p][j], columns past nb zeroed. */
static void pack_b(hpc_transpose tb, const float* b, int64_t ldb, int64_t p0, int64_t kb, int64_t j0, int64_t nb,
                   float* dst) {
    for (int64_t jr = 0; jr < nb; jr += NR) {
        int64_t cols = nb - jr < NR ? nb - jr : NR;
        float* d = dst + jr * kb;
        if (tb) {
            /* op(B)[p][j] = b[j][p]: NR row streams of b, one NR-float group written per k */
            const float* r[NR];
            for (int j = 0; j < NR; j++) r[j] = b + (j0 + jr + (j < cols ? j : 0)) * ldb + p0;
            if (cols == NR) {
                /* 8x8 register transposes: 8 contiguous k of 8 rows of b at a time */
                int64_t p = 0;
                for (; p + 8 <= kb; p += 8)
                    for (int g = 0; g < NR; g += 8) transpose8(r[g] + p, ldb, d + p * NR + g, NR);
                for (d += p * NR; p < kb; p++, d += NR)
                    for (int j = 0; j < NR; j++) d[j] = r[j][p];
            } else {
                for (int64_t p = 0; p < kb; p++, d += NR)
                    for (int j = 0; j < NR; j++) d[j] = j < cols ? r[j][p] : 0.0f;
            }
        } else {
            const float* s = b + p0 * ldb + j0 + jr;
            if (cols == NR) {
                for (int64_t p = 0; p < kb; p++, s += ldb, d += NR)
                    for (int j = 0; j < NR; j++) d[j] = s[j];
            } else {
                for (int64_t p = 0; p < kb; p++, s += ldb, d += NR)
                    for (int j = 0; j < NR; j++) d[j] = j < cols ? s[j] : 0.0f;
            }
        }
    }
}
