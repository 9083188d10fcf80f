/* Thin adapter: row-major hpc_sgemm onto cblas_sgemm, with the context's thread count. */
#include "gemm/gemm_internal.h"
#include <cblas.h>

void hpc_sgemm_openblas(int32_t threads, hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n, int64_t k,
                        float alpha, const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
                        int64_t ldc) {
    /* OpenBLAS's thread count is process-global; only touch it when it differs. */
    if (openblas_get_num_threads() != threads) openblas_set_num_threads(threads);
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (blasint)m, (blasint)n,
                (blasint)k, alpha, a, (blasint)lda, b, (blasint)ldb, beta, c, (blasint)ldc);
}
