/* Public entry points of the loss family: validation, then the context's SIMD path. */
#include "core/internal.h"
#include "loss/loss_internal.h"
#include "simd/parallel_ranges.h"

/* Reductions keep one double partial per chunk and add them in chunk order, so the loss does
 * not depend on the thread count; the chunk count is capped so the partials fit on the stack. */
#define MAX_CHUNKS 256

static int64_t chunk_grain(int64_t total, int64_t base) {
    int64_t min_grain = (total + MAX_CHUNKS - 1) / MAX_CHUNKS;
    return base > min_grain ? base : min_grain;
}

typedef struct {
    const hpc_loss_kernels* k;
    int64_t cols, ld;
    const float *x, *x2;
    const int32_t* labels;
    float scale;
    float* out;
    double* partial;
} rows_job;

static void ce_rows(void* arg, int64_t chunk, int64_t r0, int64_t r1) {
    const rows_job* j = (const rows_job*)arg;
    double s = 0.0;
    for (int64_t i = r0; i < r1; i++)
        s += j->k->softmax_ce_row(j->cols, j->x + i * j->ld, j->labels[i], j->scale, j->out ? j->out + i * j->cols : NULL);
    j->partial[chunk] = s;
}

static void softmax_rows(void* arg, int64_t chunk, int64_t r0, int64_t r1) {
    const rows_job* j = (const rows_job*)arg;
    for (int64_t i = r0; i < r1; i++) j->k->softmax_row(j->cols, j->x + i * j->cols, j->out + i * j->cols);
}

static void softmax_backward_rows(void* arg, int64_t chunk, int64_t r0, int64_t r1) {
    const rows_job* j = (const rows_job*)arg;
    for (int64_t i = r0; i < r1; i++)
        j->k->softmax_backward_row(j->cols, j->x + i * j->cols, j->x2 + i * j->cols, j->out + i * j->cols);
}

static int64_t row_grain(int64_t cols) { return HPC_ELTWISE_GRAIN / cols > 0 ? HPC_ELTWISE_GRAIN / cols : 1; }

static const hpc_loss_kernels* kernels(const hpc_ctx* ctx) { return ctx->kernels->loss; }

HPC_API hpc_status hpc_softmax_cross_entropy(hpc_ctx* ctx, int64_t batch, int64_t classes, const float* logits,
                                             int64_t ld, const int32_t* labels, float* loss, float* dlogits) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, batch);
    HPC_CHECK_NONNEG(ctx, classes);
    HPC_CHECK_PTR(ctx, loss);
    int64_t n;
    HPC_CHECK_MUL(ctx, batch, classes, &n);
    if (ld < classes)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: ld = %lld is smaller than classes = %lld", __func__,
                        (long long)ld, (long long)classes);
    int64_t span;
    if (batch > 0 && (hpc_mul_overflow(batch - 1, ld, &span) || span > INT64_MAX - classes))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: batch = %lld x ld = %lld overflows int64", __func__,
                        (long long)batch, (long long)ld);
    if (batch == 0) {
        *loss = 0.0f;
        return HPC_STATUS_OK;
    }
    HPC_CHECK_PTR(ctx, labels);
    for (int64_t i = 0; i < batch; i++)
        if (labels[i] < 0 || labels[i] >= classes)
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: labels[%lld] = %d is out of range [0, %lld)",
                            __func__, (long long)i, labels[i], (long long)classes);
    HPC_CHECK_PTR(ctx, logits);
    double partial[MAX_CHUNKS];
    rows_job j = {kernels(ctx), classes, ld, logits, NULL, labels, (float)(1.0 / (double)batch), dlogits, partial};
    int64_t grain = chunk_grain(batch, row_grain(classes));
    hpc_status st = hpc_parallel_ranges(ctx, batch, grain, ce_rows, &j);
    if (st) return st;
    double total = 0.0;
    for (int64_t c = 0; c < hpc_ranges_count(batch, grain); c++) total += partial[c];
    *loss = (float)(total / (double)batch);
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_softmax_forward(hpc_ctx* ctx, int64_t rows, int64_t cols, const float* x, float* y) {
    HPC_CHECK_CTX(ctx);
    int64_t n = 0;
    hpc_status st = hpc_check_rows_cols(ctx, __func__, rows, cols, &n);
    if (st) return st;
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, x);
    HPC_CHECK_PTR(ctx, y);
    rows_job j = {.k = kernels(ctx), .cols = cols, .x = x, .out = y};
    return hpc_parallel_ranges(ctx, rows, row_grain(cols), softmax_rows, &j);
}

HPC_API hpc_status hpc_softmax_backward(hpc_ctx* ctx, int64_t rows, int64_t cols, const float* y, const float* dy,
                                        float* dx) {
    HPC_CHECK_CTX(ctx);
    int64_t n = 0;
    hpc_status st = hpc_check_rows_cols(ctx, __func__, rows, cols, &n);
    if (st) return st;
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, y);
    HPC_CHECK_PTR(ctx, dy);
    HPC_CHECK_PTR(ctx, dx);
    rows_job j = {.k = kernels(ctx), .cols = cols, .x = y, .x2 = dy, .out = dx};
    return hpc_parallel_ranges(ctx, rows, row_grain(cols), softmax_backward_rows, &j);
}

typedef enum { KIND_MSE, KIND_SSE, KIND_L1, KIND_BCE } loss_kind;

typedef struct {
    const hpc_loss_kernels* k;
    loss_kind kind;
    const float *p, *t;
    float gscale;
    float* grad;
    double* partial;
} pointwise_job;

static void pointwise_range(void* arg, int64_t chunk, int64_t b, int64_t e) {
    const pointwise_job* j = (const pointwise_job*)arg;
    float* g = j->grad ? j->grad + b : NULL;
    switch (j->kind) {
    case KIND_MSE:
    case KIND_SSE: j->partial[chunk] = j->k->squared(e - b, j->p + b, j->t + b, j->gscale, g); break;
    case KIND_L1: j->partial[chunk] = j->k->absolute(e - b, j->p + b, j->t + b, j->gscale, g); break;
    case KIND_BCE: j->partial[chunk] = j->k->bce_logits(e - b, j->p + b, j->t + b, j->gscale, g); break;
    }
}

static hpc_status pointwise_loss(hpc_ctx* ctx, const char* fn, loss_kind kind, int64_t n, const float* pred,
                                 const float* target, float* loss, float* grad) {
    if (!ctx) return hpc_fail(NULL, HPC_STATUS_INVALID_ARGUMENT, "%s: ctx is null", fn);
    HPC_CLAIM_CTX(ctx, fn);
    hpc_clear_error(ctx);
    if (n < 0) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: n = %lld is negative", fn, (long long)n);
    if (!loss) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: loss is null", fn);
    if (n == 0) {
        *loss = 0.0f;
        return HPC_STATUS_OK;
    }
    if (!pred) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: %s is null", fn, kind == KIND_BCE ? "logits" : "pred");
    if (!target) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: target is null", fn);
    double dn = (double)n;
    float gscale = kind == KIND_MSE ? (float)(2.0 / dn) : kind == KIND_SSE ? 1.0f : (float)(1.0 / dn);
    double partial[MAX_CHUNKS];
    pointwise_job j = {kernels(ctx), kind, pred, target, gscale, grad, partial};
    int64_t grain = chunk_grain(n, HPC_ELTWISE_GRAIN);
    hpc_status st = hpc_parallel_ranges(ctx, n, grain, pointwise_range, &j);
    if (st) return st;
    double total = 0.0;
    for (int64_t c = 0; c < hpc_ranges_count(n, grain); c++) total += partial[c];
    *loss = (float)(kind == KIND_SSE ? total * 0.5 : total / dn);
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_mse_loss(hpc_ctx* ctx, int64_t n, const float* pred, const float* target, float* loss,
                                float* grad) {
    return pointwise_loss(ctx, __func__, KIND_MSE, n, pred, target, loss, grad);
}

HPC_API hpc_status hpc_sse_loss(hpc_ctx* ctx, int64_t n, const float* pred, const float* target, float* loss,
                                float* grad) {
    return pointwise_loss(ctx, __func__, KIND_SSE, n, pred, target, loss, grad);
}

HPC_API hpc_status hpc_l1_loss(hpc_ctx* ctx, int64_t n, const float* pred, const float* target, float* loss,
                               float* grad) {
    return pointwise_loss(ctx, __func__, KIND_L1, n, pred, target, loss, grad);
}

HPC_API hpc_status hpc_bce_logits_loss(hpc_ctx* ctx, int64_t n, const float* logits, const float* target,
                                       float* loss, float* grad) {
    return pointwise_loss(ctx, __func__, KIND_BCE, n, logits, target, loss, grad);
}
