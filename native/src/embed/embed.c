/* Public entry points of the embedding family: validation, then the context's SIMD path. The
 * backward pass splits the table rows into one part per thread (row % parts), each part summing
 * its rows' gradients in the order of the indices: no atomics, and the same bits for any number
 * of threads. */
#include "core/internal.h"
#include "core/kernel_table.h"
#include "embed/embed_internal.h"
#include "simd/parallel_ranges.h"
#include <string.h>

static const hpc_embed_kernels* embed_kernels(const hpc_ctx* ctx) { return ctx->kernels->embed; }

/* Below this many gradient floats one thread does the whole scatter: every part scans all the
 * indices, which only pays when the rows are long or many. */
#define EMBED_PARALLEL_MIN ((int64_t)1 << 14)

static hpc_status check_shape(hpc_ctx* ctx, const char* fn, int64_t num_embeddings, int64_t dim, int64_t n) {
    if (num_embeddings < 0 || num_embeddings > INT32_MAX)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: num_embeddings = %lld is outside [0, 2^31 - 1]", fn,
                        (long long)num_embeddings);
    if (dim < 0) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: dim = %lld is negative", fn, (long long)dim);
    if (n < 0) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: n = %lld is negative", fn, (long long)n);
    int64_t prod;
    if (hpc_mul_overflow(num_embeddings, dim, &prod))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: num_embeddings * dim overflows int64", fn);
    if (hpc_mul_overflow(n, dim, &prod))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: n * dim overflows int64", fn);
    return HPC_STATUS_OK;
}

/* Every index is checked before anything is written, so a bad batch leaves out / dtable as they were. */
static hpc_status check_indices(hpc_ctx* ctx, const char* fn, int64_t num_embeddings, int64_t n, const int32_t* idx) {
    for (int64_t i = 0; i < n; i++)
        if (idx[i] < 0 || idx[i] >= num_embeddings)
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: indices[%lld] = %d is outside [0, %lld)", fn,
                            (long long)i, (int)idx[i], (long long)num_embeddings);
    return HPC_STATUS_OK;
}

typedef struct {
    const hpc_embed_kernels* k;
    int64_t dim;
    const int32_t* idx;
    const float* table;
    float* out;
} gather_job;

static void gather_range(void* arg, int64_t chunk, int64_t b, int64_t e) {
    (void)chunk;
    const gather_job* j = (const gather_job*)arg;
    j->k->gather(j->dim, e - b, j->idx + b, j->table, j->out + b * j->dim);
}

HPC_API hpc_status hpc_embedding_forward(hpc_ctx* ctx, int64_t num_embeddings, int64_t dim, const float* table,
                                         int64_t n, const int32_t* indices, float* out) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_shape(ctx, __func__, num_embeddings, dim, n);
    if (st) return st;
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, indices);
    st = check_indices(ctx, __func__, num_embeddings, n, indices);
    if (st || dim == 0) return st;
    HPC_CHECK_PTR(ctx, table);
    HPC_CHECK_PTR(ctx, out);
    gather_job j = {embed_kernels(ctx), dim, indices, table, out};
    int64_t grain = HPC_ELTWISE_GRAIN / dim > 0 ? HPC_ELTWISE_GRAIN / dim : 1;
    return hpc_parallel_ranges(ctx, n, grain, gather_range, &j);
}

typedef struct {
    const hpc_embed_kernels* k;
    int64_t dim, n;
    const int32_t* idx;
    const float* dout;
    float* dtable;
    int32_t parts;
} scatter_job;

static void scatter_part(void* arg, int64_t task, int32_t worker) {
    (void)worker;
    const scatter_job* j = (const scatter_job*)arg;
    j->k->scatter_add(j->dim, j->n, j->idx, j->dout, j->dtable, j->parts, (int32_t)task);
}

HPC_API hpc_status hpc_embedding_backward(hpc_ctx* ctx, int64_t num_embeddings, int64_t dim, int64_t n,
                                          const int32_t* indices, const float* dout, float beta, float* dtable) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_shape(ctx, __func__, num_embeddings, dim, n);
    if (st) return st;
    if (beta != 0.0f && beta != 1.0f)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: beta = %g is neither 0 (overwrite) nor 1 (accumulate)",
                        __func__, (double)beta);
    if (n > 0) {
        HPC_CHECK_PTR(ctx, indices);
        st = check_indices(ctx, __func__, num_embeddings, n, indices);
        if (st) return st;
    }
    if (dim == 0 || num_embeddings == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, dtable);
    if (n > 0) HPC_CHECK_PTR(ctx, dout);
    if (beta == 0.0f) memset(dtable, 0, (size_t)(num_embeddings * dim) * sizeof(float));
    if (n == 0) return HPC_STATUS_OK;
    scatter_job j = {embed_kernels(ctx), dim, n, indices, dout, dtable, 1};
    if (ctx->threads > 1 && n * dim >= EMBED_PARALLEL_MIN && num_embeddings > 1) {
        j.parts = ctx->threads < num_embeddings ? ctx->threads : (int32_t)num_embeddings;
        return hpc_parallel_for(ctx, j.parts, j.parts, scatter_part, &j);
    }
    scatter_part(&j, 0, 0);
    return HPC_STATUS_OK;
}
