/* The reference epilogue: bias then activation on a finished block of C, in plain C. Used by the
 * scalar and OpenBLAS paths, and for k = 0 / alpha = 0 where no tile is ever computed. */
#include "gemm/gemm_internal.h"
#include <math.h>

float hpc_gemm_act_scalar(hpc_activation act, float x) {
    switch (act) {
    case HPC_ACT_RELU: return x > 0.0f ? x : 0.0f;
    case HPC_ACT_SIGMOID: return 1.0f / (1.0f + expf(-x));
    case HPC_ACT_TANH: return tanhf(x);
    case HPC_ACT_STEP: return x >= 0.0f ? 1.0f : 0.0f;
    default: return x;
    }
}

void hpc_gemm_epi_apply_scalar(const hpc_gemm_epi* epi, int64_t row0, int64_t col0, int64_t m, int64_t n, float* c,
                               int64_t ldc) {
    for (int64_t i = 0; i < m; i++) {
        float* row = c + i * ldc;
        for (int64_t j = 0; j < n; j++) {
            float v = row[j];
            if (epi->bias_mode == HPC_BIAS_ROW) v += epi->bias[row0 + i];
            else if (epi->bias_mode == HPC_BIAS_COL) v += epi->bias[col0 + j];
            row[j] = hpc_gemm_act_scalar(epi->act, v);
        }
    }
}
