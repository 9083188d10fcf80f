/* Public entry points of the sparse family: CSR validation, then the context's SIMD path. The
 * weight gradient is written only for the rows the batch touches (hpc_csr_touched_rows), and the
 * row updates (hpc_sgd_rows_update, hpc_adam_rows_update) run the optimizer family's kernels on
 * those rows alone. Parallel work is split by output row (forward) or by gradient row modulo the
 * thread count (backward), each row summing its terms in CSR order: no atomics, the same bits for
 * any thread count. */
#include "core/internal.h"
#include "core/kernel_table.h"
#include "sparse/sparse_internal.h"
#include "simd/parallel_ranges.h"
#include "optim/optim_internal.h"
#include <string.h>

static const hpc_sparse_kernels* sparse_kernels(const hpc_ctx* ctx) { return ctx->kernels->sparse; }

/* Below this many multiply-adds one thread does the whole gradient (each part scans every entry). */
#define SPARSE_PARALLEL_MIN ((int64_t)1 << 15)

static hpc_status check_dims(hpc_ctx* ctx, const char* fn, int64_t m, int64_t k, int64_t n, int64_t nnz) {
    if (m < 0) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: m = %lld is negative", fn, (long long)m);
    if (k < 0 || k > INT32_MAX)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: k = %lld is outside [0, 2^31 - 1]", fn, (long long)k);
    if (n < 0) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: n = %lld is negative", fn, (long long)n);
    if (nnz < 0) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: nnz = %lld is negative", fn, (long long)nnz);
    int64_t prod;
    if (hpc_mul_overflow(m, n, &prod) || hpc_mul_overflow(k, n, &prod))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: m * n or k * n overflows int64", fn);
    return HPC_STATUS_OK;
}

/* offsets[0] = 0, non-decreasing, offsets[m] <= nnz; every column in [0, k). */
static hpc_status check_csr(hpc_ctx* ctx, const char* fn, int64_t m, int64_t k, int64_t nnz, const int64_t* offsets,
                            const int32_t* cols) {
    if (!offsets) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: offsets is null", fn);
    if (offsets[0] != 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: offsets[0] = %lld, must be 0", fn, (long long)offsets[0]);
    for (int64_t i = 0; i < m; i++)
        if (offsets[i + 1] < offsets[i])
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: offsets are not monotone: offsets[%lld] = %lld < offsets[%lld] = %lld",
                            fn, (long long)(i + 1), (long long)offsets[i + 1], (long long)i, (long long)offsets[i]);
    if (offsets[m] > nnz)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: offsets[%lld] = %lld is past the end of the %lld entries", fn,
                        (long long)m, (long long)offsets[m], (long long)nnz);
    if (offsets[m] > 0 && !cols) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: cols is null", fn);
    for (int64_t p = 0; p < offsets[m]; p++)
        if (cols[p] < 0 || cols[p] >= k)
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: cols[%lld] = %d is outside [0, %lld)", fn, (long long)p,
                            (int)cols[p], (long long)k);
    return HPC_STATUS_OK;
}

typedef struct {
    const hpc_sparse_kernels* kern;
    int64_t n;
    const int64_t* offsets;
    const int32_t* cols;
    const float *values, *w, *bias, *dy;
    const int32_t* slot;
    float *y, *g;
    int32_t parts;
    int64_t m;
} sparse_job;

static void forward_range(void* arg, int64_t chunk, int64_t b, int64_t e) {
    (void)chunk;
    const sparse_job* j = (const sparse_job*)arg;
    /* Row offsets are absolute, so a row range just starts later in offsets. */
    j->kern->csr_rows(j->n, e - b, j->offsets + b, j->cols, j->values, j->w, j->bias, j->y + b * j->n);
}

HPC_API hpc_status hpc_csr_matmul(hpc_ctx* ctx, int64_t m, int64_t k, int64_t n, int64_t nnz, const int64_t* offsets,
                                  const int32_t* cols, const float* values, const float* w, const float* bias,
                                  float* y) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_dims(ctx, __func__, m, k, n, nnz);
    if (st) return st;
    st = check_csr(ctx, __func__, m, k, nnz, offsets, cols);
    if (st || m == 0 || n == 0) return st;
    HPC_CHECK_PTR(ctx, y);
    if (offsets[m] > 0) HPC_CHECK_PTR(ctx, w);
    sparse_job j = {.kern = sparse_kernels(ctx), .n = n, .offsets = offsets, .cols = cols, .values = values, .w = w,
                    .bias = bias, .y = y};
    int64_t per_row = (offsets[m] / m + 1) * n;
    int64_t grain = HPC_ELTWISE_GRAIN / per_row > 0 ? HPC_ELTWISE_GRAIN / per_row : 1;
    return hpc_parallel_ranges(ctx, m, grain, forward_range, &j);
}

HPC_API hpc_status hpc_csr_touched_rows(hpc_ctx* ctx, int64_t m, int64_t k, int64_t nnz, const int64_t* offsets,
                                        const int32_t* cols, int32_t* rows, int64_t* count) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_dims(ctx, __func__, m, k, 0, nnz);
    if (st) return st;
    HPC_CHECK_PTR(ctx, count);
    st = check_csr(ctx, __func__, m, k, nnz, offsets, cols);
    if (st) return st;
    *count = 0;
    int64_t used = offsets[m];
    if (used == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, rows);
    size_t words = (size_t)(k + 63) / 64;
    uint64_t* seen = (uint64_t*)hpc_ctx_workspace(ctx, words * sizeof(uint64_t));
    if (!seen) return hpc_fail(ctx, HPC_STATUS_OUT_OF_MEMORY, "%s: cannot allocate %zu bytes of workspace", __func__, words * 8);
    memset(seen, 0, words * sizeof(uint64_t));
    for (int64_t p = 0; p < used; p++) seen[cols[p] >> 6] |= (uint64_t)1 << (cols[p] & 63);
    int64_t c = 0;
    for (size_t wd = 0; wd < words; wd++)
        for (uint64_t bits = seen[wd]; bits; bits &= bits - 1) rows[c++] = (int32_t)(wd * 64 + (size_t)__builtin_ctzll(bits));
    *count = c;
    return HPC_STATUS_OK;
}

/* rows: count distinct indices in [0, k), strictly increasing (as hpc_csr_touched_rows writes them). */
static hpc_status check_rows(hpc_ctx* ctx, const char* fn, int64_t k, int64_t count, const int32_t* rows) {
    if (count < 0) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: count = %lld is negative", fn, (long long)count);
    if (count > 0 && !rows) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: rows is null", fn);
    for (int64_t t = 0; t < count; t++) {
        if (rows[t] < 0 || rows[t] >= k)
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: rows[%lld] = %d is outside [0, %lld)", fn, (long long)t,
                            (int)rows[t], (long long)k);
        if (t > 0 && rows[t] <= rows[t - 1])
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: rows are not strictly increasing at rows[%lld] = %d", fn,
                            (long long)t, (int)rows[t]);
    }
    return HPC_STATUS_OK;
}

static void scatter_part(void* arg, int64_t task, int32_t worker) {
    (void)worker;
    const sparse_job* j = (const sparse_job*)arg;
    j->kern->scatter_rows(j->n, j->m, j->offsets, j->cols, j->values, j->dy, j->slot, j->g, j->parts, (int32_t)task);
}

HPC_API hpc_status hpc_csr_weight_grad(hpc_ctx* ctx, int64_t m, int64_t k, int64_t n, int64_t nnz,
                                       const int64_t* offsets, const int32_t* cols, const float* values,
                                       const float* dy, int64_t count, const int32_t* rows, float* grad_rows) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_dims(ctx, __func__, m, k, n, nnz);
    if (st) return st;
    st = check_csr(ctx, __func__, m, k, nnz, offsets, cols);
    if (st) return st;
    st = check_rows(ctx, __func__, k, count, rows);
    if (st) return st;
    if (count == 0 || n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, grad_rows);
    int64_t used = offsets[m];
    if (used > 0) HPC_CHECK_PTR(ctx, dy);
    int32_t* slot = (int32_t*)hpc_ctx_workspace(ctx, (size_t)k * sizeof(int32_t));
    if (!slot) return hpc_fail(ctx, HPC_STATUS_OUT_OF_MEMORY, "%s: cannot allocate %lld bytes of workspace", __func__, (long long)k * 4);
    /* Every column the CSR names must be listed: a missing one would be a write to a stranger's slot. */
    for (int64_t p = 0; p < used; p++) slot[cols[p]] = -1;
    for (int64_t t = 0; t < count; t++) slot[rows[t]] = (int32_t)t;
    for (int64_t p = 0; p < used; p++)
        if (slot[cols[p]] < 0)
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: cols[%lld] = %d is not among the %lld rows", __func__,
                            (long long)p, (int)cols[p], (long long)count);
    memset(grad_rows, 0, (size_t)(count * n) * sizeof(float));
    sparse_job j = {.kern = sparse_kernels(ctx), .n = n, .offsets = offsets, .cols = cols, .values = values, .dy = dy,
                    .slot = slot, .g = grad_rows, .parts = 1, .m = m};
    if (ctx->threads > 1 && used * n >= SPARSE_PARALLEL_MIN && count > 1) {
        j.parts = ctx->threads < count ? ctx->threads : (int32_t)count;
        return hpc_parallel_for(ctx, j.parts, j.parts, scatter_part, &j);
    }
    scatter_part(&j, 0, 0);
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_sgd_rows_update(hpc_ctx* ctx, int64_t k, int64_t n, int64_t count, const int32_t* rows,
                                       float lr, float momentum, float weight_decay, float* w, const float* grad_rows,
                                       float* velocity) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_dims(ctx, __func__, 0, k, n, 0);
    if (st) return st;
    OPTIM_CHECK_NONNEG(ctx, lr);
    OPTIM_CHECK_UNIT(ctx, momentum);
    OPTIM_CHECK_NONNEG(ctx, weight_decay);
    st = check_rows(ctx, __func__, k, count, rows);
    if (st || count == 0 || n == 0) return st;
    HPC_CHECK_PTR(ctx, w);
    HPC_CHECK_PTR(ctx, grad_rows);
    if (momentum != 0.0f) HPC_CHECK_PTR(ctx, velocity);
    const hpc_optim_kernels* ok = hpc_optim_select(ctx);
    hpc_optim_args a = {0};
    a.lr = lr;
    a.momentum = momentum;
    a.one_minus_momentum = 1.0f - momentum;
    a.weight_decay = weight_decay;
    for (int64_t t = 0; t < count; t++) {
        int64_t r = rows[t];
        if (momentum != 0.0f) ok->sgd_momentum(n, &a, w + r * n, grad_rows + t * n, velocity + r * n, NULL);
        else ok->sgd(n, &a, w + r * n, grad_rows + t * n, NULL, NULL);
    }
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_adam_rows_update(hpc_ctx* ctx, int64_t k, int64_t n, int64_t count, const int32_t* rows,
                                        float lr, float beta1, float beta2, float eps, float weight_decay,
                                        int64_t step, float* w, const float* grad_rows, float* m, float* v) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_dims(ctx, __func__, 0, k, n, 0);
    if (st) return st;
    OPTIM_CHECK_NONNEG(ctx, lr);
    OPTIM_CHECK_UNIT(ctx, beta1);
    OPTIM_CHECK_UNIT(ctx, beta2);
    OPTIM_CHECK_POSITIVE(ctx, eps);
    OPTIM_CHECK_NONNEG(ctx, weight_decay);
    if (step < 1)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: step = %lld must be >= 1 (the first step is 1)", __func__,
                        (long long)step);
    st = check_rows(ctx, __func__, k, count, rows);
    if (st || count == 0 || n == 0) return st;
    HPC_CHECK_PTR(ctx, w);
    HPC_CHECK_PTR(ctx, grad_rows);
    HPC_CHECK_PTR(ctx, m);
    HPC_CHECK_PTR(ctx, v);
    /* Bias correction by the global step, as PyTorch's SparseAdam: a row seen for the first time
     * at step t gets the correction of step t, not of its own first step. */
    hpc_optim_args a = hpc_optim_adam_args(lr, beta1, beta2, eps, step);
    a.weight_decay = weight_decay;
    const hpc_optim_kernels* ok = hpc_optim_select(ctx);
    for (int64_t t = 0; t < count; t++) {
        int64_t r = rows[t];
        ok->adam(n, &a, w + r * n, grad_rows + t * n, m + r * n, v + r * n);
    }
    return HPC_STATUS_OK;
}
