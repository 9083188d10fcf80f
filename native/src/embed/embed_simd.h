/* The embedding kernels for one SIMD path, written once over simd_<isa>.h and instantiated by
 * embed_avx2.c and embed_avx512.c. A row copy and a row sum are element-wise, so every path gives
 * the scalar reference's bits. */
#include "embed/embed_internal.h"

static void HPC_SFX(gather)(int64_t dim, int64_t n, const int32_t* idx, const float* table, float* out) {
    for (int64_t i = 0; i < n; i++) {
        const float* src = table + (int64_t)idx[i] * dim;
        float* dst = out + i * dim;
        int64_t j = 0;
        for (; j + 2 * HPC_W <= dim; j += 2 * HPC_W) {
            vf a = vload(src + j), b = vload(src + j + HPC_W);
            vstore(dst + j, a);
            vstore(dst + j + HPC_W, b);
        }
        for (; j + HPC_W <= dim; j += HPC_W) vstore(dst + j, vload(src + j));
        if (j < dim) vstoren(dst + j, vloadn(src + j, dim - j), dim - j);
    }
}

static void HPC_SFX(scatter_add)(int64_t dim, int64_t n, const int32_t* idx, const float* dout, float* dtable,
                                 int32_t parts, int32_t part) {
    for (int64_t i = 0; i < n; i++) {
        if (idx[i] % parts != part) continue;
        float* dst = dtable + (int64_t)idx[i] * dim;
        const float* src = dout + i * dim;
        int64_t j = 0;
        for (; j + HPC_W <= dim; j += HPC_W) vstore(dst + j, vadd(vload(dst + j), vload(src + j)));
        if (j < dim) vstoren(dst + j, vadd(vloadn(dst + j, dim - j), vloadn(src + j, dim - j)), dim - j);
    }
}

const hpc_embed_kernels HPC_SFX(hpc_embed_kernels) = {HPC_SFX(gather), HPC_SFX(scatter_add)};
