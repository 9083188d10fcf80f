/* The kernel table of every path, and the query that prints it (hpc_kernel_table_entry). */
#include "core/internal.h"
#include "core/kernel_table.h"
#include <pthread.h>
#include <string.h>

/* Every family's instances, as core sees them: pointers only (the types stay the family's). A
 * declared instance that no table names need not exist. */
#define HPC_KERNEL_DECLARE_INSTANCES(slot, label)                                                  \
    extern const struct hpc_##slot##_kernels hpc_##slot##_kernels_scalar, hpc_##slot##_kernels_avx2, \
        hpc_##slot##_kernels_avx512;
HPC_KERNEL_FAMILIES(HPC_KERNEL_DECLARE_INSTANCES)
#undef HPC_KERNEL_DECLARE_INSTANCES
#ifdef HPC_WITH_OPENBLAS
extern const struct hpc_gemm_kernels hpc_gemm_kernels_openblas;
#endif

#define NO_AVX512_YET "no AVX-512 instance yet; not measured (the development machine has no AVX-512)"

static const hpc_kernel_table table_scalar = {
    .name = "scalar",
    .simd = HPC_ISA_SCALAR,
    .vector_floats = 1,
    HPC_KERNELS(eltwise, scalar),
    HPC_KERNELS(loss, scalar),
    HPC_KERNELS(random, scalar),
    HPC_KERNELS(optim, scalar),
    HPC_KERNELS(pool, scalar),
    HPC_NO_KERNELS(maxpool_2x2), /* the general plane kernel */
    HPC_KERNELS(im2col, scalar),
    HPC_NO_KERNELS(conv_direct), /* every convolution runs im2col + GEMM */
    HPC_KERNELS(gemm, scalar),
    HPC_NO_KERNELS(gemm_small),
    HPC_KERNELS(embed, scalar),
    HPC_KERNELS(sparse, scalar),
    HPC_KERNELS(rnn, scalar),
    HPC_KERNELS(neuro, scalar),
};

static const hpc_kernel_table table_avx2 = {
    .name = "avx2",
    .simd = HPC_ISA_AVX2,
    .vector_floats = 8,
    HPC_KERNELS(eltwise, avx2),
    HPC_KERNELS(loss, avx2),
    HPC_KERNELS(random, avx2),
    HPC_KERNELS(optim, avx2),
    HPC_KERNELS(pool, avx2),
    HPC_KERNELS(maxpool_2x2, avx2),
    HPC_KERNELS(im2col, avx2),
    HPC_KERNELS(conv_direct, avx2),
    HPC_KERNELS(gemm, avx2),
    HPC_KERNELS(gemm_small, avx2),
    HPC_KERNELS(embed, avx2),
    HPC_KERNELS(sparse, avx2),
    HPC_KERNELS(rnn, avx2),
    HPC_KERNELS(neuro, avx2),
};

static const hpc_kernel_table table_avx512 = {
    .name = "avx512",
    .simd = HPC_ISA_AVX512,
    .vector_floats = 16,
    HPC_KERNELS(eltwise, avx512),
    HPC_KERNELS(loss, avx512),
    HPC_KERNELS(random, avx512),
    HPC_KERNELS(optim, avx512),
    HPC_KERNELS(pool, avx512),
    HPC_STAND_IN(maxpool_2x2, avx2, NO_AVX512_YET),
    HPC_KERNELS(im2col, avx512),
    HPC_STAND_IN(conv_direct, avx2, NO_AVX512_YET),
    HPC_KERNELS(gemm, avx512),
    HPC_STAND_IN(gemm_small, avx2, "no AVX-512 instance yet: the path is bound by reading B, not by FMA width; "
                                   "not measured on AVX-512 hardware"),
    HPC_KERNELS(embed, avx512),
    HPC_KERNELS(sparse, avx512),
    HPC_KERNELS(rnn, avx512),
    HPC_KERNELS(neuro, avx512),
};

static const hpc_kernel_table* native_table(hpc_isa isa) {
    switch (isa) {
    case HPC_ISA_AVX512: return &table_avx512;
    case HPC_ISA_AVX2: return &table_avx2;
    default: return &table_scalar;
    }
}

#ifdef HPC_WITH_OPENBLAS
/* The best native table with OpenBLAS doing every GEMM (it has no small-matrix path of ours). */
static hpc_kernel_table table_openblas;
static pthread_once_t openblas_once = PTHREAD_ONCE_INIT;

static void build_openblas_table(void) {
    table_openblas = *native_table(hpc_best_native_isa());
    table_openblas.name = "openblas";
    table_openblas.gemm = &hpc_gemm_kernels_openblas;
    table_openblas.gemm_impl = "openblas";
    table_openblas.gemm_stand_in = NULL;
    table_openblas.gemm_small = NULL;
    table_openblas.gemm_small_impl = "none";
    table_openblas.gemm_small_stand_in = NULL;
}
#endif

const hpc_kernel_table* hpc_kernel_table_for(hpc_isa isa) {
#ifdef HPC_WITH_OPENBLAS
    if (isa == HPC_ISA_OPENBLAS) {
        pthread_once(&openblas_once, build_openblas_table);
        return &table_openblas;
    }
#endif
    return native_table(isa);
}

/* ---- the query ---- */

static const char* const slot_names[] = {
#define HPC_KERNEL_SLOT_NAME(slot, label) #slot,
    HPC_KERNEL_FAMILIES(HPC_KERNEL_SLOT_NAME)
#undef HPC_KERNEL_SLOT_NAME
};
static const char* const slot_labels[] = {
#define HPC_KERNEL_SLOT_LABEL(slot, label) label,
    HPC_KERNEL_FAMILIES(HPC_KERNEL_SLOT_LABEL)
#undef HPC_KERNEL_SLOT_LABEL
};
#define SLOT_COUNT ((int32_t)(sizeof slot_names / sizeof slot_names[0]))

HPC_API int32_t hpc_kernel_table_size(void) { return SLOT_COUNT; }

HPC_API hpc_status hpc_kernel_table_entry(const hpc_ctx* ctx, int32_t index, const char** slot, const char** label,
                                          const char** impl, const char** stand_in) {
    if (!ctx) return hpc_fail(NULL, HPC_STATUS_INVALID_ARGUMENT, "hpc_kernel_table_entry: ctx is null");
    HPC_CHECK_PTR(ctx, slot);
    HPC_CHECK_PTR(ctx, label);
    HPC_CHECK_PTR(ctx, impl);
    HPC_CHECK_PTR(ctx, stand_in);
    if (index < 0 || index >= SLOT_COUNT)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "hpc_kernel_table_entry: index = %d is outside [0, %d)",
                        (int)index, (int)SLOT_COUNT);
    const hpc_kernel_table* t = ctx->kernels;
    int32_t at = 0;
#define HPC_KERNEL_ENTRY(s, l)                                                                     \
    if (at++ == index) *impl = t->s##_impl, *stand_in = t->s##_stand_in;
    HPC_KERNEL_FAMILIES(HPC_KERNEL_ENTRY)
#undef HPC_KERNEL_ENTRY
    *slot = slot_names[index];
    *label = slot_labels[index];
    return HPC_STATUS_OK;
}
