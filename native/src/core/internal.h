/* Internal helpers shared by every kernel family: the context, errors, validation, dispatch. */
#ifndef HPC_INTERNAL_H
#define HPC_INTERNAL_H

#include "hpcnn.h"
#include "core/kernel_table.h"
#include <stddef.h>
#include <stdint.h>

#define HPC_ERROR_CAPACITY 512

struct hpc_pool; /* core/threadpool.c */

/* Debug and test builds check that no two threads use one context at once (hpcnn.h: one context is
 * used by one thread at a time); release builds trust the caller and pay nothing. */
#if !defined(NDEBUG) || defined(HPC_TEST_HOOKS)
#define HPC_OWNER_CHECK 1
#endif

struct hpc_ctx {
    int32_t threads;           /* threads kernels may use, >= 1 */
    hpc_isa isa;               /* resolved path: never AUTO */
    const hpc_kernel_table* kernels; /* the path's kernels (core/kernel_table.c) */
    char error[HPC_ERROR_CAPACITY];
    struct hpc_pool* pool;     /* persistent workers, created on first parallel call */
    void* workspace;           /* 64-byte aligned scratch reused across calls */
    size_t workspace_bytes;
#ifdef HPC_OWNER_CHECK
    _Atomic uintptr_t busy_thread; /* the thread inside an entry point on this context, 0 when none */
#endif
};

/* Records a formatted message on ctx (or the thread-local fallback when ctx is null) and
 * returns status, so validation reads: return hpc_fail(ctx, HPC_STATUS_..., "...", ...). */
hpc_status hpc_fail(const hpc_ctx* ctx, hpc_status status, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears the context's message at the start of a successful call path. */
static inline void hpc_clear_error(hpc_ctx* ctx) { ctx->error[0] = '\0'; }

/* The best path this CPU supports among scalar/avx2/avx512. */
hpc_isa hpc_best_native_isa(void);

/* 1 when a*b overflows int64 (a, b >= 0), else stores the product. */
static inline int hpc_mul_overflow(int64_t a, int64_t b, int64_t* out) {
    return __builtin_mul_overflow(a, b, out);
}

/* Validates a rows x cols matrix argument of the public entry point fn (both >= 0, product fits
 * int64) and stores rows * cols in *n; shared so every row-wise family fails with the same messages. */
static inline hpc_status hpc_check_rows_cols(const hpc_ctx* ctx, const char* fn, int64_t rows, int64_t cols,
                                             int64_t* n) {
    if (rows < 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: rows = %lld is negative", fn, (long long)rows);
    if (cols < 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: cols = %lld is negative", fn, (long long)cols);
    if (hpc_mul_overflow(rows, cols, n))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: rows * cols overflows int64", fn);
    return HPC_STATUS_OK;
}

/* Test builds (HPC_TEST_HOOKS): 1 when the allocation about to be made must fail, as
 * hpc_testing_fail_allocation asked (every native allocation asks first); release builds: 0. */
#ifdef HPC_TEST_HOOKS
int hpc_alloc_fault(void);
#else
static inline int hpc_alloc_fault(void) { return 0; }
#endif

/* Aligned allocation (64 bytes); hpc_aligned_free(NULL) is a no-op. */
void* hpc_aligned_alloc(size_t bytes);
void hpc_aligned_free(void* p);

/* Returns ctx's workspace grown to at least bytes (contents not preserved), or NULL. */
void* hpc_ctx_workspace(hpc_ctx* ctx, size_t bytes);

/* Thread pool: runs fn(arg, task, worker) for task in [0, ntasks) on up to nthreads workers
 * (nthreads <= ctx->threads; worker ids are in [0, nthreads)). Returns when all tasks are done. */
typedef void (*hpc_task_fn)(void* arg, int64_t task, int32_t worker);
hpc_status hpc_parallel_for(hpc_ctx* ctx, int64_t ntasks, int32_t nthreads, hpc_task_fn fn, void* arg);
/* The same with a fixed schedule: task t always runs on worker t % nthreads, so repeated calls
 * find a task's data in the cache of the core that ran it last time (batch-1 inference keeps
 * its half of a layer's weights in that core's L2). */
hpc_status hpc_parallel_for_pinned(hpc_ctx* ctx, int64_t ntasks, int32_t nthreads, hpc_task_fn fn, void* arg);
void hpc_pool_destroy(struct hpc_pool* pool);

/* Threads for ntasks independent tasks: one per task, at most the context's. */
static inline int32_t hpc_threads_for(const hpc_ctx* ctx, int64_t ntasks) {
    return ntasks < ctx->threads ? (int32_t)(ntasks > 0 ? ntasks : 1) : ctx->threads;
}

/* Per-worker scratch owned by ctx's pool (worker in [0, 1024)), grown to at least bytes and kept
 * across calls (contents not preserved), 64-byte aligned; NULL when out of memory. Call it from the
 * context's thread, before hpc_parallel_for, for every worker that will use it. */
void* hpc_pool_scratch(hpc_ctx* ctx, int32_t worker, size_t bytes);

/* The worker id of the calling thread while it runs a task of hpc_parallel_for, else -1. */
int32_t hpc_pool_current_worker(void);

/* Owner-thread check (HPC_OWNER_CHECK builds): an entry point claims its context for the calling
 * thread until it returns (the claim is released by the cleanup of a local variable, so every return
 * path releases it). A claim succeeds when the context is free, already held by this thread (an entry
 * point calling another) or when the caller is a worker of a parallel_for (the context's own pool);
 * it fails when another thread is inside a call on the same context. */
#ifdef HPC_OWNER_CHECK
int hpc_ctx_claim(hpc_ctx* ctx, hpc_ctx** claim);
void hpc_ctx_release(hpc_ctx** claim);
#define HPC_CLAIM_CTX(ctx, fn)                                                                     \
    hpc_ctx* hpc_ctx_claim_ __attribute__((cleanup(hpc_ctx_release))) = NULL;                      \
    if (!hpc_ctx_claim((ctx), &hpc_ctx_claim_))                                                    \
    return hpc_fail((ctx), HPC_STATUS_INVALID_ARGUMENT,                                            \
                    "%s: ctx is in use by another thread (a context is used by one thread at a time)", (fn))
#else
#define HPC_CLAIM_CTX(ctx, fn) ((void)0)
#endif

/* ---- validation macros: each returns INVALID_ARGUMENT with a message naming the argument ---- */
/* A statement list, not one statement: HPC_CLAIM_CTX's claim lives until the function returns. */
#define HPC_CHECK_CTX(ctx)                                                                         \
    if (!(ctx)) return hpc_fail(NULL, HPC_STATUS_INVALID_ARGUMENT, "%s: ctx is null", __func__);   \
    HPC_CLAIM_CTX(ctx, __func__);                                                                  \
    hpc_clear_error(ctx)

#define HPC_CHECK_PTR(ctx, p)                                                                      \
    do {                                                                                           \
        if (!(p)) return hpc_fail((ctx), HPC_STATUS_INVALID_ARGUMENT, "%s: %s is null", __func__, #p); \
    } while (0)

#define HPC_CHECK_NONNEG(ctx, v)                                                                   \
    do {                                                                                           \
        if ((v) < 0)                                                                               \
            return hpc_fail((ctx), HPC_STATUS_INVALID_ARGUMENT, "%s: %s = %lld is negative",      \
                            __func__, #v, (long long)(v));                                         \
    } while (0)

#define HPC_CHECK_FINITE(ctx, v)                                                                   \
    do {                                                                                           \
        if (!((v) == (v)) || (v) > 3.4028235e38f || (v) < -3.4028235e38f)                          \
            return hpc_fail((ctx), HPC_STATUS_INVALID_ARGUMENT, "%s: %s = %g is not finite",      \
                            __func__, #v, (double)(v));                                            \
    } while (0)

/* Stores a*b in *out or fails naming both factors. */
#define HPC_CHECK_MUL(ctx, a, b, out)                                                              \
    do {                                                                                           \
        if (hpc_mul_overflow((a), (b), (out)))                                                     \
            return hpc_fail((ctx), HPC_STATUS_INVALID_ARGUMENT, "%s: %s * %s overflows int64",    \
                            __func__, #a, #b);                                                     \
    } while (0)

#endif
