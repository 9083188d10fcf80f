/* Thin adapter: row-major hpc_sgemm onto cblas_sgemm. */
#include "gemm/gemm_internal.h"
#include <cblas.h>

void hpc_sgemm_openblas(hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n, int64_t k, float alpha,
                        const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (blasint)m, (blasint)n,
                (blasint)k, alpha, a, (blasint)lda, b, (blasint)ldb, beta, c, (blasint)ldc);
}
