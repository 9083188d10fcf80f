#include "core/internal.h"
#include <stdlib.h>

void* hpc_aligned_alloc(size_t bytes) {
    void* p = NULL;
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
