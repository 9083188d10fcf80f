/* Which kernel table a context uses, and the aliasing check shared by the update entry points. */
#include "optim/optim_internal.h"

const hpc_optim_kernels* hpc_optim_select(const hpc_ctx* ctx) {
    return ctx->kernels->optim;
}

hpc_status hpc_optim_check_disjoint(const hpc_ctx* ctx, const char* func, int64_t n, int count,
                                    const char* const* names, const void* const* ptrs) {
    int64_t bytes;
    if (hpc_mul_overflow(n, (int64_t)sizeof(float), &bytes))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: n = %lld floats overflows the address space", func,
                        (long long)n);
    for (int i = 0; i < count; i++) {
        if (!ptrs[i]) continue;
        uintptr_t a = (uintptr_t)ptrs[i];
        for (int j = i + 1; j < count; j++) {
            if (!ptrs[j]) continue;
            uintptr_t b = (uintptr_t)ptrs[j];
            if (a < b + (uintptr_t)bytes && b < a + (uintptr_t)bytes)
                return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: %s and %s overlap (each holds n = %lld floats)",
                                func, names[i], names[j], (long long)n);
        }
    }
    return HPC_STATUS_OK;
}

/* Updates are element-wise, so the parameters split across the pool in 64-float-aligned slices
 * with identical results; each thread gets at least OPTIM_MIN_SLICE floats (below that, waking a
 * thread costs more than the update: one core streams ~60 GB/s of w, grad and state here). */
#define OPTIM_MIN_SLICE (32 * 1024)

typedef struct optim_job {
    hpc_optim_update_fn fn;
    const hpc_optim_args* a;
    float* w;
    const float* g;
    float *s1, *s2;
    int64_t n, slice;
} optim_job;

static void optim_task(void* arg, int64_t t, int32_t worker) {
    const optim_job* j = (const optim_job*)arg;
    int64_t lo = t * j->slice, len = j->n - lo < j->slice ? j->n - lo : j->slice;
    j->fn(len, j->a, j->w + lo, j->g + lo, j->s1 ? j->s1 + lo : NULL, j->s2 ? j->s2 + lo : NULL);
}

hpc_status hpc_optim_apply(hpc_ctx* ctx, const char* func, hpc_optim_update_fn fn, int64_t n,
                           const hpc_optim_args* a, float* w, const float* grad, float* s1, const char* s1_name,
                           float* s2, const char* s2_name) {
    if (n == 0) return HPC_STATUS_OK;
    if (!w) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: w is null", func);
    if (!grad) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: grad is null", func);
    if (s1_name && !s1) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: %s is null", func, s1_name);
    if (s2_name && !s2) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: %s is null", func, s2_name);
    const char* names[4] = {"w", "grad", s1_name, s2_name};
    const void* ptrs[4] = {w, grad, s1_name ? s1 : NULL, s2_name ? s2 : NULL};
    hpc_status st = hpc_optim_check_disjoint(ctx, func, n, 4, names, ptrs);
    if (st != HPC_STATUS_OK) return st;
    int64_t nt = n / OPTIM_MIN_SLICE;
    if (nt > ctx->threads) nt = ctx->threads;
    if (nt <= 1) {
        fn(n, a, w, grad, s1_name ? s1 : NULL, s2_name ? s2 : NULL);
        return HPC_STATUS_OK;
    }
    optim_job j = {fn, a, w, grad, s1_name ? s1 : NULL, s2_name ? s2 : NULL, n, 0};
    j.slice = ((n + nt - 1) / nt + 63) / 64 * 64;
    /* Not pinned: a layer's weights, gradient and state outgrow one L2 anyway (the MLP's first
     * layer: 2.4 MB), and a caller that finds the other core busy should take both slices. */
    return hpc_parallel_for(ctx, (n + j.slice - 1) / j.slice, (int32_t)nt, optim_task, &j);
}
