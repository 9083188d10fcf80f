/* Scalar pooling planes: the reference every SIMD path must match bit for bit. */
#include "pool/pool_internal.h"

void hpc_maxpool_plane_scalar(const hpc_pool_geom* g, const float* x, float* y, int32_t* argmax) {
    for (int64_t oh = 0; oh < g->oh; oh++)
        for (int64_t ow = 0; ow < g->ow; ow++) {
            int64_t p = oh * g->ow + ow;
            hpc_maxpool_one(g, x, oh, ow, y + p, argmax ? argmax + p : NULL);
        }
}

void hpc_avgpool_plane_scalar(const hpc_pool_geom* g, int include_pad, const float* x, float* y) {
    for (int64_t oh = 0; oh < g->oh; oh++)
        for (int64_t ow = 0; ow < g->ow; ow++) y[oh * g->ow + ow] = hpc_avgpool_one(g, include_pad, x, oh, ow);
}

const hpc_pool_kernels hpc_pool_kernels_scalar = {hpc_maxpool_plane_scalar, hpc_avgpool_plane_scalar};
