/* Which kernel table a context uses, and the aliasing check shared by the update entry points. */
#include "optim/optim_internal.h"

const hpc_optim_kernels* hpc_optim_select(const hpc_ctx* ctx) {
    switch (hpc_simd_isa(ctx)) {
    case HPC_ISA_AVX512: return &hpc_optim_kernels_avx512;
    case HPC_ISA_AVX2: return &hpc_optim_kernels_avx2;
    default: return &hpc_optim_kernels_scalar;
    }
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
    fn(n, a, w, grad, s1_name ? s1 : NULL, s2_name ? s2 : NULL);
    return HPC_STATUS_OK;
}
