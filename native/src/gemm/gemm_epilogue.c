/* The reference epilogue: bias then activation on a finished block of C, in plain C. Used by the
 * scalar and OpenBLAS paths, and for k = 0 / alpha = 0 where no tile is ever computed. */
#include "gemm/gemm_internal.h"
#include "eltwise/eltwise_internal.h"

void hpc_gemm_epi_apply_scalar(const hpc_gemm_epi* epi, int64_t row0, int64_t col0, int64_t m, int64_t n, float* c,
                               int64_t ldc) {
    for (int64_t i = 0; i < m; i++) {
        float* row = c + i * ldc;
        for (int64_t j = 0; j < n; j++) {
            float v = row[j];
            if (epi->bias_mode == HPC_BIAS_ROW) v += epi->bias[row0 + i];
            else if (epi->bias_mode == HPC_BIAS_COL) v += epi->bias[col0 + j];
            row[j] = hpc_act_ref(epi->act, 0.0f, v);
        }
    }
}
