/* The kernel table: one per ISA path (BLIS's per-configuration context), chosen once when a
 * context selects its path (ctx->kernels). Every family calls through its slot; nothing outside
 * core/ looks at the ISA. Each family owns its sub-table type, `hpc_<family>_kernels`, declared in
 * <family>/<family>_internal.h, with one const instance per ISA file:
 * `hpc_<family>_kernels_scalar`, `_avx2`, `_avx512`. Plugging a family in is one line in
 * HPC_KERNEL_FAMILIES below plus one pointer per path in core/kernel_table.c (native/README.md
 * has the whole recipe). */
#ifndef HPC_KERNEL_TABLE_H
#define HPC_KERNEL_TABLE_H
#include "hpcnn.h"
#include <stdint.h>

/* X(slot, label): the slot names the family's sub-table type and instances; label is what
 * hpc_kernel_table_entry (and `hpc info --kernels`) prints for it. */
#define HPC_KERNEL_FAMILIES(X)                                                                        \
    X(eltwise, "bias + activation, activation backward, row sums, PReLU")                          \
    X(loss, "softmax, cross-entropy, MSE")                                                         \
    X(random, "uniform / normal fills, dropout")                                                   \
    X(optim, "SGD, Adam, RMSprop updates")                                                         \
    X(pool, "max / average pooling planes")                                                        \
    X(maxpool_2x2, "max pooling 2x2 stride 2")                                                    \
    X(im2col, "conv im2col / col2im staging")                                                      \
    X(conv_direct, "conv direct kernels (shallow, 8-channel, pixel-vectorised, weight gradients)") \
    X(gemm, "gemm (packed micro-kernel; plain loops on scalar, cblas on openblas)")                \
    X(gemm_small, "gemm small-matrix (unpacked) path")                                            \
    X(neuro, "spiking populations: LIF, Hodgkin-Huxley, synapses, spike propagation")                                            \
    X(embed, "embedding gather / scatter-add")                                                    \
    X(sparse, "CSR x dense, sparse gradients, row updates")                                       \
    X(rnn, "recurrent layers: LSTM / tanh RNN gates")

#define HPC_KERNEL_DECLARE_TYPE(slot, label) struct hpc_##slot##_kernels;
HPC_KERNEL_FAMILIES(HPC_KERNEL_DECLARE_TYPE)
#undef HPC_KERNEL_DECLARE_TYPE

typedef struct hpc_kernel_table {
    const char* name;    /* the path: "scalar", "avx2", "avx512", "openblas" */
    hpc_isa simd;        /* the SIMD path the non-GEMM families run (openblas: the best native one) */
    int32_t vector_floats; /* floats per SIMD register of that path (1 for scalar) */
    /* Per slot: the instance (null: the path has none, the family falls back as it documents),
     * the path that instance was written for, and, when that is not this path, why it is used. */
#define HPC_KERNEL_SLOT(slot, label)                                                                   \
    const struct hpc_##slot##_kernels* slot;                                                            \
    const char* slot##_impl;                                                                            \
    const char* slot##_stand_in;
    HPC_KERNEL_FAMILIES(HPC_KERNEL_SLOT)
#undef HPC_KERNEL_SLOT
} hpc_kernel_table;

/* Table initializers: the path's own instance of a family; another path's instance standing in
 * (with the reason, printed by `hpc info --kernels`); no instance. */
#define HPC_KERNELS(slot, isa) .slot = &hpc_##slot##_kernels_##isa, .slot##_impl = #isa
#define HPC_STAND_IN(slot, isa, reason) HPC_KERNELS(slot, isa), .slot##_stand_in = reason
#define HPC_NO_KERNELS(slot) .slot = NULL, .slot##_impl = "none"

/* The table of a resolved path (never AUTO; OPENBLAS is the best native table with the OpenBLAS
 * GEMM). Built once, then read-only. */
const hpc_kernel_table* hpc_kernel_table_for(hpc_isa isa);

#endif
