#include "gemm/gemm_internal.h"

void hpc_sgemm_scalar(hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n, int64_t k, float alpha,
                      const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
    for (int64_t i = 0; i < m; i++) {
        for (int64_t j = 0; j < n; j++) {
            float acc = 0.0f;
            for (int64_t p = 0; p < k; p++) {
                float av = ta ? a[p * lda + i] : a[i * lda + p];
                float bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                acc += av * bv;
            }
            float* cij = c + i * ldc + j;
            *cij = beta == 0.0f ? alpha * acc : alpha * acc + beta * *cij;
        }
    }
}

static hpc_status whole_scalar(struct hpc_ctx* ctx, hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n, int64_t k,
                               float alpha, const float* a, int64_t lda, const float* b, int64_t ldb, float beta,
                               float* c, int64_t ldc) {
    hpc_sgemm_scalar(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return HPC_STATUS_OK;
}

const hpc_gemm_kernels hpc_gemm_kernels_scalar = {.whole = whole_scalar, .tiny_first = 1};
