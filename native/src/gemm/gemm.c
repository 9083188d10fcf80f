/* hpc_sgemm: validation, then the path selected by the context. */
#include "core/internal.h"
#include "gemm/gemm_internal.h"

static hpc_status check_matrix(hpc_ctx* ctx, const char* fn, const char* name, int64_t rows, int64_t cols, int64_t ld) {
    int64_t min_ld = cols > 1 ? cols : 1;
    if (ld < min_ld)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                        "%s: ld%s = %lld is smaller than the %lld columns of the stored %s (%lld x %lld)",
                        fn, name, (long long)ld, (long long)cols, name, (long long)rows, (long long)cols);
    int64_t span;
    if (rows > 0 && (hpc_mul_overflow(rows - 1, ld, &span) || span > INT64_MAX - cols))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: %s extent %lld x ld %lld overflows int64", fn, name,
                        (long long)rows, (long long)ld);
    return HPC_STATUS_OK;
}

hpc_status hpc_sgemm_validate(hpc_ctx* ctx, const char* fn, hpc_transpose trans_a, hpc_transpose trans_b, int64_t m, int64_t n,
                              int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
                              int64_t ldc) {
    if (trans_a != HPC_NO_TRANS && trans_a != HPC_TRANS)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: trans_a = %d is not an hpc_transpose", fn, (int)trans_a);
    if (trans_b != HPC_NO_TRANS && trans_b != HPC_TRANS)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: trans_b = %d is not an hpc_transpose", fn, (int)trans_b);
    const int64_t dims[3] = {m, n, k};
    static const char* const names[3] = {"m", "n", "k"};
    for (int i = 0; i < 3; i++)
        if (dims[i] < 0)
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: %s = %lld is negative", fn, names[i],
                            (long long)dims[i]);
    int64_t prod;
    if (hpc_mul_overflow(m, n, &prod) || hpc_mul_overflow(m, k, &prod) || hpc_mul_overflow(k, n, &prod))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: m = %lld, n = %lld, k = %lld: a size product overflows int64",
                        fn, (long long)m, (long long)n, (long long)k);
    hpc_status st;
    if ((st = check_matrix(ctx, fn, "a", trans_a ? k : m, trans_a ? m : k, lda))) return st;
    if ((st = check_matrix(ctx, fn, "b", trans_b ? n : k, trans_b ? k : n, ldb))) return st;
    if ((st = check_matrix(ctx, fn, "c", m, n, ldc))) return st;
    if (m == 0 || n == 0) return HPC_STATUS_OK;
    if (!c) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: c is null", fn);
    if (k > 0 && !a) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: a is null", fn);
    if (k > 0 && !b) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: b is null", fn);
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

#define HPC_GEMM_TINY 64

/* Runs a validated, non-empty product on the context's path; epi (may be null) is applied to
 * every element of C after alpha*op(A)op(B) + beta*C. */
static hpc_status sgemm_dispatch(hpc_ctx* ctx, hpc_transpose trans_a, hpc_transpose trans_b, int64_t m, int64_t n,
                                 int64_t k, float alpha, const float* a, int64_t lda, const float* b, int64_t ldb,
                                 float beta, float* c, int64_t ldc, const hpc_gemm_epi* epi) {
    if (k == 0 || alpha == 0.0f) {
        /* BLAS: A and B are not read at all (so NaN/Inf in them cannot leak into C). */
        hpc_scale_c(m, n, beta, c, ldc);
        if (epi) hpc_gemm_epi_apply_scalar(epi, 0, 0, m, n, c, ldc);
        return HPC_STATUS_OK;
    }
    /* A product of at most HPC_GEMM_TINY multiply-adds is done by the plain loops before the
     * SIMD paths' dispatch, thread pool and masks would even start (1x1x1: 75 -> ~35 ns). */
    const hpc_gemm_kernels* gk = ctx->kernels->gemm;
    if (gk->tiny_first && m <= HPC_GEMM_TINY && n <= HPC_GEMM_TINY && k <= HPC_GEMM_TINY &&
        m * n * k <= HPC_GEMM_TINY) {
        hpc_sgemm_scalar(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        if (epi) hpc_gemm_epi_apply_scalar(epi, 0, 0, m, n, c, ldc);
        return HPC_STATUS_OK;
    }
    if (gk->packed)
        return hpc_gemm_run(ctx, gk->packed(), trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epi);
    hpc_status st = gk->whole(ctx, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    if (st != HPC_STATUS_OK) return st;
    if (epi) hpc_gemm_epi_apply_scalar(epi, 0, 0, m, n, c, ldc);
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_sgemm(hpc_ctx* ctx, hpc_transpose trans_a, hpc_transpose trans_b, int64_t m, int64_t n,
                             int64_t k, float alpha, const float* a, int64_t lda, const float* b, int64_t ldb,
                             float beta, float* c, int64_t ldc) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = hpc_sgemm_validate(ctx, __func__, trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc);
    if (st != HPC_STATUS_OK) return st;
    if (m == 0 || n == 0) return HPC_STATUS_OK;
    return sgemm_dispatch(ctx, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, NULL);
}

HPC_API hpc_status hpc_sgemm_bias_act(hpc_ctx* ctx, hpc_transpose trans_a, hpc_transpose trans_b, int64_t m, int64_t n,
                                      int64_t k, float alpha, const float* a, int64_t lda, const float* b, int64_t ldb,
                                      float beta, float* c, int64_t ldc, const float* bias, hpc_bias_mode bias_mode,
                                      hpc_activation act) {
    HPC_CHECK_CTX(ctx);
    if (bias_mode != HPC_BIAS_NONE && bias_mode != HPC_BIAS_ROW && bias_mode != HPC_BIAS_COL)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "hpc_sgemm_bias_act: bias_mode = %d is not an hpc_bias_mode",
                        (int)bias_mode);
    switch (act) {
    case HPC_ACT_IDENTITY:
    case HPC_ACT_RELU:
    case HPC_ACT_SIGMOID:
    case HPC_ACT_TANH:
    case HPC_ACT_STEP:
    case HPC_ACT_ARCTAN:
    case HPC_ACT_SOFTPLUS: break;
    default:
        if ((int)act < 0 || (int)act > HPC_GEMM_ACT_MAX_KNOWN)
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "hpc_sgemm_bias_act: act = %d is not an hpc_activation",
                            (int)act);
        return hpc_fail(ctx, HPC_STATUS_UNSUPPORTED,
                        "hpc_sgemm_bias_act: activation %d is not fused into GEMM (fused: identity, relu, "
                        "sigmoid, tanh, step, arctan, softplus); use hpc_sgemm then hpc_bias_act_forward", (int)act);
    }
    hpc_status st = hpc_sgemm_validate(ctx, __func__, trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc);
    if (st != HPC_STATUS_OK) return st;
    if (m == 0 || n == 0) return HPC_STATUS_OK;
    if (bias_mode != HPC_BIAS_NONE) HPC_CHECK_PTR(ctx, bias);
    hpc_gemm_epi epi = {bias, bias_mode, act};
    int none = bias_mode == HPC_BIAS_NONE && act == HPC_ACT_IDENTITY;
    return sgemm_dispatch(ctx, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, none ? NULL : &epi);
}
