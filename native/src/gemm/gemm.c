/* hpc_sgemm: validation, then the path selected by the context. */
#include "core/internal.h"
#include "gemm/gemm_internal.h"

static hpc_status check_matrix(hpc_ctx* ctx, const char* name, int64_t rows, int64_t cols, int64_t ld) {
    int64_t min_ld = cols > 1 ? cols : 1;
    if (ld < min_ld)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                        "hpc_sgemm: ld%s = %lld is smaller than the %lld columns of the stored %s (%lld x %lld)",
                        name, (long long)ld, (long long)cols, name, (long long)rows, (long long)cols);
    int64_t span;
    if (rows > 0 && (hpc_mul_overflow(rows - 1, ld, &span) || span > INT64_MAX - cols))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "hpc_sgemm: %s extent %lld x ld %lld overflows int64", name,
                        (long long)rows, (long long)ld);
    return HPC_STATUS_OK;
}

hpc_status hpc_sgemm_validate(hpc_ctx* ctx, hpc_transpose trans_a, hpc_transpose trans_b, int64_t m, int64_t n,
                              int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
                              int64_t ldc) {
    if (trans_a != HPC_NO_TRANS && trans_a != HPC_TRANS)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "hpc_sgemm: trans_a = %d is not an hpc_transpose", (int)trans_a);
    if (trans_b != HPC_NO_TRANS && trans_b != HPC_TRANS)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "hpc_sgemm: trans_b = %d is not an hpc_transpose", (int)trans_b);
    HPC_CHECK_NONNEG(ctx, m);
    HPC_CHECK_NONNEG(ctx, n);
    HPC_CHECK_NONNEG(ctx, k);
    int64_t prod;
    HPC_CHECK_MUL(ctx, m, n, &prod);
    HPC_CHECK_MUL(ctx, m, k, &prod);
    HPC_CHECK_MUL(ctx, k, n, &prod);
    hpc_status st;
    if ((st = check_matrix(ctx, "a", trans_a ? k : m, trans_a ? m : k, lda))) return st;
    if ((st = check_matrix(ctx, "b", trans_b ? n : k, trans_b ? k : n, ldb))) return st;
    if ((st = check_matrix(ctx, "c", m, n, ldc))) return st;
    if (m == 0 || n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, c);
    if (k > 0) {
        HPC_CHECK_PTR(ctx, a);
        HPC_CHECK_PTR(ctx, b);
    }
    return HPC_STATUS_OK;
}

/* C = beta * C, with beta = 0 writing zeros whatever C held. */
void hpc_scale_c(int64_t m, int64_t n, float beta, float* c, int64_t ldc) {
    for (int64_t i = 0; i < m; i++) {
        float* row = c + i * ldc;
        if (beta == 0.0f)
            for (int64_t j = 0; j < n; j++) row[j] = 0.0f;
        else if (beta != 1.0f)
            for (int64_t j = 0; j < n; j++) row[j] *= beta;
    }
}

HPC_API hpc_status hpc_sgemm(hpc_ctx* ctx, hpc_transpose trans_a, hpc_transpose trans_b, int64_t m, int64_t n,
                             int64_t k, float alpha, const float* a, int64_t lda, const float* b, int64_t ldb,
                             float beta, float* c, int64_t ldc) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = hpc_sgemm_validate(ctx, trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc);
    if (st != HPC_STATUS_OK) return st;
    if (m == 0 || n == 0) return HPC_STATUS_OK;
    if (k == 0 || alpha == 0.0f) {
        hpc_scale_c(m, n, beta, c, ldc);
        return HPC_STATUS_OK;
    }
    switch (ctx->isa) {
#ifdef HPC_WITH_OPENBLAS
    case HPC_ISA_OPENBLAS:
        hpc_sgemm_openblas(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return HPC_STATUS_OK;
#endif
    default:
        hpc_sgemm_scalar(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return HPC_STATUS_OK;
    }
}
