/* Per-ISA kernel table of the sparse family (CSR x dense products for bag-of-features inputs).
 * The entry points (sparse.c) validate the CSR structure first; kernels assume it valid. */
#ifndef HPC_SPARSE_INTERNAL_H
#define HPC_SPARSE_INTERNAL_H
#include "hpcnn.h"

typedef struct hpc_sparse_kernels {
    /* For rows i in [0, m): y row i (n floats) = bias (or 0) + sum over the row's entries p, in
     * order, of values[p] * w row cols[p] (fused multiply-add; w row added as is when values is null). */
    void (*csr_rows)(int64_t n, int64_t m, const int64_t* offsets, const int32_t* cols, const float* values,
                     const float* w, const float* bias, float* y);
    /* For rows i in [0, m) in order, entries p in order: g row slot[cols[p]] += values[p] * dy row i
     * (fma; dy added as is when values is null), only for the slots s with s % parts == part. */
    void (*scatter_rows)(int64_t n, int64_t m, const int64_t* offsets, const int32_t* cols, const float* values,
                         const float* dy, const int32_t* slot, float* g, int32_t parts, int32_t part);
} hpc_sparse_kernels;

extern const hpc_sparse_kernels hpc_sparse_kernels_scalar;
extern const hpc_sparse_kernels hpc_sparse_kernels_avx2;
extern const hpc_sparse_kernels hpc_sparse_kernels_avx512;

#endif
