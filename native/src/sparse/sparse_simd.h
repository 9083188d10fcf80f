/* The sparse kernels for one SIMD path, written once over simd_<isa>.h and instantiated by
 * sparse_avx2.c and sparse_avx512.c: the same per-element operations in the same order as
 * sparse_scalar.c, so every path gives its bits. */
#include "sparse/sparse_internal.h"

/* acc[0, n) = v * x + acc (fma), or x + acc without a value. */
static inline void HPC_SFX(row_axpy)(int64_t n, const float* v, const float* x, float* acc) {
    int64_t j = 0;
    if (v) {
        vf a = vset1(*v);
        for (; j + HPC_W <= n; j += HPC_W) vstore(acc + j, vfma(a, vload(x + j), vload(acc + j)));
        if (j < n) vstoren(acc + j, vfma(a, vloadn(x + j, n - j), vloadn(acc + j, n - j)), n - j);
    } else {
        for (; j + HPC_W <= n; j += HPC_W) vstore(acc + j, vadd(vload(acc + j), vload(x + j)));
        if (j < n) vstoren(acc + j, vadd(vloadn(acc + j, n - j), vloadn(x + j, n - j)), n - j);
    }
}

static void HPC_SFX(csr_rows)(int64_t n, int64_t m, const int64_t* offsets, const int32_t* cols, const float* values,
                              const float* w, const float* bias, float* y) {
    for (int64_t i = 0; i < m; i++) {
        float* yi = y + i * n;
        int64_t j = 0;
        for (; j + HPC_W <= n; j += HPC_W) vstore(yi + j, bias ? vload(bias + j) : vzero());
        if (j < n) vstoren(yi + j, bias ? vloadn(bias + j, n - j) : vzero(), n - j);
        for (int64_t p = offsets[i]; p < offsets[i + 1]; p++)
            HPC_SFX(row_axpy)(n, values ? values + p : NULL, w + (int64_t)cols[p] * n, yi);
    }
}

static void HPC_SFX(scatter_rows)(int64_t n, int64_t m, const int64_t* offsets, const int32_t* cols,
                                  const float* values, const float* dy, const int32_t* slot, float* g, int32_t parts,
                                  int32_t part) {
    for (int64_t i = 0; i < m; i++)
        for (int64_t p = offsets[i]; p < offsets[i + 1]; p++) {
            int32_t s = slot[cols[p]];
            if (s % parts != part) continue;
            HPC_SFX(row_axpy)(n, values ? values + p : NULL, dy + i * n, g + (int64_t)s * n);
        }
}

const hpc_sparse_kernels HPC_SFX(hpc_sparse_kernels) = {HPC_SFX(csr_rows), HPC_SFX(scatter_rows)};
