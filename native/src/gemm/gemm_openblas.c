/* Thin adapter: row-major hpc_sgemm onto cblas_sgemm, with the context's thread count. */
#include "core/internal.h"
#include "gemm/gemm_internal.h"
#include <cblas.h>

static hpc_status whole_openblas(hpc_ctx* ctx, hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n, int64_t k,
                                 float alpha, const float* a, int64_t lda, const float* b, int64_t ldb, float beta,
                                 float* c, int64_t ldc) {
    if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX || lda > INT32_MAX || ldb > INT32_MAX || ldc > INT32_MAX)
        return hpc_fail(ctx, HPC_STATUS_UNSUPPORTED,
                        "hpc_sgemm: the OpenBLAS path takes 32-bit sizes (m = %lld, n = %lld, k = %lld, "
                        "ld = %lld/%lld/%lld); use a native path", (long long)m, (long long)n, (long long)k,
                        (long long)lda, (long long)ldb, (long long)ldc);
    int32_t threads = ctx->threads;
    /* OpenBLAS's thread count is process-global; only touch it when it differs. */
    if (openblas_get_num_threads() != threads) openblas_set_num_threads(threads);
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (blasint)m, (blasint)n,
                (blasint)k, alpha, a, (blasint)lda, b, (blasint)ldb, beta, c, (blasint)ldc);
    return HPC_STATUS_OK;
}

const hpc_gemm_kernels hpc_gemm_kernels_openblas = {.whole = whole_openblas};
