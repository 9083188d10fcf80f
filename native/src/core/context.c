#include "core/internal.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HPC_VERSION_MAJOR 0
#define HPC_VERSION_MINOR 1
#define HPC_VERSION_PATCH 0

HPC_API int32_t hpc_version(void) {
    return HPC_VERSION_MAJOR * 10000 + HPC_VERSION_MINOR * 100 + HPC_VERSION_PATCH;
}

static int isa_valid(hpc_isa isa) { return isa >= HPC_ISA_AUTO && isa <= HPC_ISA_OPENBLAS; }

/* Resolves isa into ctx or fails; the message goes to ctx (or the thread fallback when ctx is null). */
static hpc_status select_isa(hpc_ctx* ctx, const hpc_ctx* msg_ctx, hpc_isa isa) {
    if (!isa_valid(isa))
        return hpc_fail(msg_ctx, HPC_STATUS_INVALID_ARGUMENT, "hpc_ctx_set_isa: isa = %d is not an hpc_isa", (int)isa);
    int32_t ok = 0;
    hpc_isa_supported(isa, &ok);
    if (!ok) {
        if (isa == HPC_ISA_OPENBLAS)
            return hpc_fail(msg_ctx, HPC_STATUS_UNSUPPORTED, "ISA path 'openblas' is not available: built without OpenBLAS");
        return hpc_fail(msg_ctx, HPC_STATUS_UNSUPPORTED, "ISA path '%s' is not supported by this CPU", hpc_isa_name(isa));
    }
    ctx->isa = isa == HPC_ISA_AUTO ? hpc_best_native_isa() : isa;
    ctx->kernels = hpc_kernel_table_for(ctx->isa);
    return HPC_STATUS_OK;
}

static int parse_isa(const char* s, hpc_isa* out) {
    static const hpc_isa all[] = {HPC_ISA_AUTO, HPC_ISA_SCALAR, HPC_ISA_AVX2, HPC_ISA_AVX512, HPC_ISA_OPENBLAS};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcasecmp(s, hpc_isa_name(all[i])) == 0) { *out = all[i]; return 1; }
    return 0;
}

HPC_API hpc_status hpc_ctx_create_with_isa(hpc_isa isa, hpc_ctx** out) {
    if (!out) return hpc_fail(NULL, HPC_STATUS_INVALID_ARGUMENT, "hpc_ctx_create: out is null");
    *out = NULL;
    hpc_ctx* ctx = hpc_alloc_fault() ? NULL : calloc(1, sizeof *ctx);
    if (!ctx) return hpc_fail(NULL, HPC_STATUS_OUT_OF_MEMORY, "hpc_ctx_create: out of memory");
    ctx->threads = 1;
    hpc_status st = select_isa(ctx, NULL, isa);
    if (st != HPC_STATUS_OK) {
        free(ctx);
        return st;
    }
    *out = ctx;
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_ctx_create(hpc_ctx** out) {
    if (!out) return hpc_fail(NULL, HPC_STATUS_INVALID_ARGUMENT, "hpc_ctx_create: out is null");
    *out = NULL;
    hpc_isa isa = HPC_ISA_AUTO;
    const char* env = getenv("HPC_ISA");
    if (env && *env && !parse_isa(env, &isa))
        return hpc_fail(NULL, HPC_STATUS_INVALID_ARGUMENT,
                        "HPC_ISA='%s' names no ISA path (expected auto, scalar, avx2, avx512 or openblas)", env);
    return hpc_ctx_create_with_isa(isa, out);
}

HPC_API void hpc_ctx_destroy(hpc_ctx* ctx) {
    if (!ctx) return;
    hpc_pool_destroy(ctx->pool);
    hpc_aligned_free(ctx->workspace);
    free(ctx);
}

HPC_API hpc_status hpc_ctx_set_isa(hpc_ctx* ctx, hpc_isa isa) {
    HPC_CHECK_CTX(ctx);
    return select_isa(ctx, ctx, isa);
}

HPC_API hpc_status hpc_ctx_get_isa(const hpc_ctx* ctx, hpc_isa* out) {
    if (!ctx) return hpc_fail(NULL, HPC_STATUS_INVALID_ARGUMENT, "hpc_ctx_get_isa: ctx is null");
    HPC_CHECK_PTR(ctx, out);
    *out = ctx->isa;
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_ctx_set_threads(hpc_ctx* ctx, int32_t threads) {
    HPC_CHECK_CTX(ctx);
    if (threads < 0 || threads > 1024)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "hpc_ctx_set_threads: threads = %d is outside 0..1024", threads);
    if (threads == 0) {
        hpc_cpu_features f;
        hpc_get_cpu_features(&f);
        threads = f.logical_cores > 0 ? f.logical_cores : 1;
    }
    ctx->threads = threads;
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_ctx_get_threads(const hpc_ctx* ctx, int32_t* out) {
    if (!ctx) return hpc_fail(NULL, HPC_STATUS_INVALID_ARGUMENT, "hpc_ctx_get_threads: ctx is null");
    HPC_CHECK_PTR(ctx, out);
    *out = ctx->threads;
    return HPC_STATUS_OK;
}

#ifdef HPC_OWNER_CHECK
/* Any address unique to the thread identifies it (pthread_t need not be an integer). */
static _Thread_local char thread_identity;

int hpc_ctx_claim(hpc_ctx* ctx, hpc_ctx** claim) {
    *claim = NULL;
    if (hpc_pool_current_worker() >= 0) return 1;
    uintptr_t me = (uintptr_t)&thread_identity, free_ = 0;
    if (atomic_compare_exchange_strong(&ctx->busy_thread, &free_, me)) {
        *claim = ctx;
        return 1;
    }
    return free_ == me;
}

void hpc_ctx_release(hpc_ctx** claim) {
    if (*claim) atomic_store(&(*claim)->busy_thread, (uintptr_t)0);
}
#endif
