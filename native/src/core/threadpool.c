/* Thread pool. Placeholder: runs tasks serially on the caller's thread (replaced by the
 * persistent-worker pool of the GEMM work). Results never depend on the thread count. */
#include "core/internal.h"

hpc_status hpc_parallel_for(hpc_ctx* ctx, int64_t ntasks, int32_t nthreads, hpc_task_fn fn, void* arg) {
    (void)ctx;
    (void)nthreads;
    for (int64_t t = 0; t < ntasks; t++) fn(arg, t, 0);
    return HPC_STATUS_OK;
}

void hpc_pool_destroy(struct hpc_pool* pool) { (void)pool; }
