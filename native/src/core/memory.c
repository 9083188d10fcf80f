#include "core/internal.h"
#include <stdlib.h>

#ifdef HPC_TEST_HOOKS
#include "hpcnn_testing.h"
#include <stdatomic.h>

/* Allocations still to succeed before the one that fails (0: none fails), and the count since the
 * switch was last set. Global, not per context: a training step's allocations span contexts. */
static _Atomic int64_t allocations_until_failure;
static _Atomic int64_t allocations_made;

int hpc_alloc_fault(void) {
    atomic_fetch_add(&allocations_made, 1);
    int64_t left = atomic_load(&allocations_until_failure);
    while (left > 0 && !atomic_compare_exchange_weak(&allocations_until_failure, &left, left - 1)) {}
    return left == 1;
}

HPC_API void hpc_testing_fail_allocation(int64_t k) {
    atomic_store(&allocations_until_failure, k > 0 ? k : 0);
    atomic_store(&allocations_made, 0);
}

HPC_API int64_t hpc_testing_allocation_count(void) { return atomic_load(&allocations_made); }
#endif

void* hpc_aligned_alloc(size_t bytes) {
    void* p = NULL;
    if (hpc_alloc_fault()) return NULL;
    if (bytes == 0) bytes = 64;
    if (posix_memalign(&p, 64, bytes) != 0) return NULL;
    return p;
}

void hpc_aligned_free(void* p) { free(p); }

void* hpc_ctx_workspace(hpc_ctx* ctx, size_t bytes) {
    if (ctx->workspace_bytes >= bytes && ctx->workspace) return ctx->workspace;
    hpc_aligned_free(ctx->workspace);
    ctx->workspace = hpc_aligned_alloc(bytes);
    ctx->workspace_bytes = ctx->workspace ? bytes : 0;
    return ctx->workspace;
}
