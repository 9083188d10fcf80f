/* Per-ISA kernel table of the embedding family. The entry points (embed.c) validate every index
 * first; kernels assume valid arguments and never fail. */
#ifndef HPC_EMBED_INTERNAL_H
#define HPC_EMBED_INTERNAL_H
#include "hpcnn.h"

typedef struct hpc_embed_kernels {
    /* out row i = table row idx[i], for i in [0, n); rows are dim floats. */
    void (*gather)(int64_t dim, int64_t n, const int32_t* idx, const float* table, float* out);
    /* dtable row idx[i] += dout row i, for the i in [0, n) in increasing order whose idx[i] %
     * parts == part: each table row belongs to one part, so parts run concurrently, and every row
     * sums its gradients in the order of i whatever the number of parts. */
    void (*scatter_add)(int64_t dim, int64_t n, const int32_t* idx, const float* dout, float* dtable,
                        int32_t parts, int32_t part);
} hpc_embed_kernels;

extern const hpc_embed_kernels hpc_embed_kernels_scalar;
extern const hpc_embed_kernels hpc_embed_kernels_avx2;
extern const hpc_embed_kernels hpc_embed_kernels_avx512;

#endif
