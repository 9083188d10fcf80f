/* Splits [0, total) into fixed chunks of `grain` (the last one shorter) and runs fn on each,
 * on up to ctx->threads workers. The chunking depends only on total and grain, never on the
 * thread count, so reductions over chunk partials come out identical for any thread count. */
#ifndef HPC_PARALLEL_RANGES_H
#define HPC_PARALLEL_RANGES_H
#include "core/internal.h"

typedef void (*hpc_range_fn)(void* arg, int64_t chunk, int64_t begin, int64_t end);

typedef struct {
    hpc_range_fn fn;
    void* arg;
    int64_t total, grain;
} hpc_ranges_job;

static void hpc_ranges_task(void* arg, int64_t task, int32_t worker) {
    (void)worker;
    const hpc_ranges_job* j = (const hpc_ranges_job*)arg;
    int64_t b = task * j->grain, e = b + j->grain < j->total ? b + j->grain : j->total;
    j->fn(j->arg, task, b, e);
}

static inline int64_t hpc_ranges_count(int64_t total, int64_t grain) { return total <= 0 ? 0 : (total - 1) / grain + 1; }

static inline hpc_status hpc_parallel_ranges(hpc_ctx* ctx, int64_t total, int64_t grain, hpc_range_fn fn, void* arg) {
    hpc_ranges_job j = {fn, arg, total, grain};
    int64_t n = hpc_ranges_count(total, grain);
    if (n <= 1 || ctx->threads <= 1) {
        for (int64_t t = 0; t < n; t++) hpc_ranges_task(&j, t, 0);
        return HPC_STATUS_OK;
    }
    return hpc_parallel_for(ctx, n, ctx->threads, hpc_ranges_task, &j);
}

/* Elements per chunk for streaming kernels: large enough that a task outweighs its dispatch. */
#define HPC_ELTWISE_GRAIN ((int64_t)1 << 15)

#endif
