/* Public entry points of the eltwise family: validation, then the context's SIMD path. */
#include "core/internal.h"
#include "eltwise/eltwise_internal.h"
#include "simd/parallel_ranges.h"

static const hpc_eltwise_kernels* kernels(const hpc_ctx* ctx) { return ctx->kernels->eltwise; }

static hpc_status check_act(hpc_ctx* ctx, const char* fn, hpc_activation act, float param) {
    if ((int)act < HPC_ACT_IDENTITY || (int)act > HPC_ACT_SOFTPLUS)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: act = %d is not an hpc_activation", fn, (int)act);
    if (act == HPC_ACT_LEAKY_RELU && !(param == param && param <= 3.4028235e38f && param >= -3.4028235e38f))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: param (leaky ReLU slope) = %g is not finite", fn,
                        (double)param);
    return HPC_STATUS_OK;
}

typedef struct {
    const hpc_eltwise_kernels* k;
    hpc_activation act;
    float param;
    int64_t rows, cols;
    const float *x, *bias;
    float* y;
} bias_act_job;

static void bias_act_rows(void* arg, int64_t chunk, int64_t r0, int64_t r1) {
    const bias_act_job* j = (const bias_act_job*)arg;
    j->k->bias_act(j->act, j->param, r1 - r0, j->cols, j->x + r0 * j->cols, j->bias, j->y + r0 * j->cols);
}

static void bias_act_cols(void* arg, int64_t chunk, int64_t c0, int64_t c1) {
    const bias_act_job* j = (const bias_act_job*)arg;
    j->k->bias_act(j->act, j->param, 1, c1 - c0, j->x + c0, j->bias ? j->bias + c0 : NULL, j->y + c0);
}

typedef struct {
    const hpc_eltwise_kernels* k;
    hpc_activation act;
    float param;
    const float *x, *y, *dy;
    float* dx;
} act_backward_job;

static void act_backward_range(void* arg, int64_t chunk, int64_t b, int64_t e) {
    const act_backward_job* j = (const act_backward_job*)arg;
    j->k->act_backward(j->act, j->param, e - b, j->x + b, j->y + b, j->dy + b, j->dx + b);
}

HPC_API hpc_status hpc_bias_act_forward(hpc_ctx* ctx, hpc_activation act, float param, int64_t rows, int64_t cols,
                                        const float* x, const float* bias, float* y) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_act(ctx, __func__, act, param);
    if (st) return st;
    HPC_CHECK_NONNEG(ctx, rows);
    HPC_CHECK_NONNEG(ctx, cols);
    int64_t n;
    HPC_CHECK_MUL(ctx, rows, cols, &n);
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, x);
    HPC_CHECK_PTR(ctx, y);
    bias_act_job j = {.k = kernels(ctx), .act = act, .param = param, .rows = rows, .cols = cols, .x = x, .bias = bias, .y = y};
    /* Chunks of whole rows, or of columns when there is a single long row. */
    if (rows == 1) return hpc_parallel_ranges(ctx, cols, HPC_ELTWISE_GRAIN, bias_act_cols, &j);
    int64_t grain = HPC_ELTWISE_GRAIN / cols > 0 ? HPC_ELTWISE_GRAIN / cols : 1;
    return hpc_parallel_ranges(ctx, rows, grain, bias_act_rows, &j);
}

HPC_API hpc_status hpc_act_backward(hpc_ctx* ctx, hpc_activation act, float param, int64_t n, const float* x,
                                    const float* y, const float* dy, float* dx) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_act(ctx, __func__, act, param);
    if (st) return st;
    HPC_CHECK_NONNEG(ctx, n);
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, x);
    HPC_CHECK_PTR(ctx, y);
    HPC_CHECK_PTR(ctx, dy);
    HPC_CHECK_PTR(ctx, dx);
    act_backward_job j = {kernels(ctx), act, param, x, y, dy, dx};
    return hpc_parallel_ranges(ctx, n, HPC_ELTWISE_GRAIN, act_backward_range, &j);
}

HPC_API hpc_status hpc_sum_rows(hpc_ctx* ctx, int64_t rows, int64_t cols, const float* x, int64_t ldx, float beta,
                                float* out) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, rows);
    HPC_CHECK_NONNEG(ctx, cols);
    HPC_CHECK_FINITE(ctx, beta);
    if (ldx < cols || ldx < 1)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: ldx = %lld is smaller than cols = %lld (or than 1)",
                        __func__, (long long)ldx, (long long)cols);
    int64_t span;
    if (rows > 0 && (hpc_mul_overflow(rows - 1, ldx, &span) || span > INT64_MAX - cols))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: rows = %lld x ldx = %lld overflows int64", __func__,
                        (long long)rows, (long long)ldx);
    if (cols == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, out);
    if (rows > 0) HPC_CHECK_PTR(ctx, x);
    kernels(ctx)->sum_rows(rows, cols, x, ldx, beta, out);
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_prelu_forward(hpc_ctx* ctx, int64_t rows, int64_t cols, const float* x, const float* slope,
                                     float* y) {
    HPC_CHECK_CTX(ctx);
    int64_t n = 0;
    hpc_status st = hpc_check_rows_cols(ctx, __func__, rows, cols, &n);
    if (st) return st;
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, x);
    HPC_CHECK_PTR(ctx, slope);
    HPC_CHECK_PTR(ctx, y);
    kernels(ctx)->prelu_forward(rows, cols, x, slope, y);
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_prelu_backward(hpc_ctx* ctx, int64_t rows, int64_t cols, const float* x, const float* slope,
                                      const float* dy, float* dx, float* dslope) {
    HPC_CHECK_CTX(ctx);
    int64_t n = 0;
    hpc_status st = hpc_check_rows_cols(ctx, __func__, rows, cols, &n);
    if (st) return st;
    if (cols == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, slope);
    HPC_CHECK_PTR(ctx, dslope);
    if (n > 0) {
        HPC_CHECK_PTR(ctx, x);
        HPC_CHECK_PTR(ctx, dy);
    }
    kernels(ctx)->prelu_backward(rows, cols, x, slope, dy, dx, dslope);
    return HPC_STATUS_OK;
}
