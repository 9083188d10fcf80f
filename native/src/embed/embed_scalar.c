/* The scalar reference of the embedding family. */
#include "embed/embed_internal.h"

static void gather_scalar(int64_t dim, int64_t n, const int32_t* idx, const float* table, float* out) {
    for (int64_t i = 0; i < n; i++) {
        const float* src = table + (int64_t)idx[i] * dim;
        float* dst = out + i * dim;
        for (int64_t j = 0; j < dim; j++) dst[j] = src[j];
    }
}

static void scatter_add_scalar(int64_t dim, int64_t n, const int32_t* idx, const float* dout, float* dtable,
                               int32_t parts, int32_t part) {
    for (int64_t i = 0; i < n; i++) {
        if (idx[i] % parts != part) continue;
        float* dst = dtable + (int64_t)idx[i] * dim;
        const float* src = dout + i * dim;
        for (int64_t j = 0; j < dim; j++) dst[j] += src[j];
    }
}

const hpc_embed_kernels hpc_embed_kernels_scalar = {gather_scalar, scatter_add_scalar};
