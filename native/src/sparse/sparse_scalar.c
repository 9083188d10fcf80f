/* The scalar reference of the sparse family; fmaf rounds once, as the SIMD paths' FMA does. */
#include "sparse/sparse_internal.h"
#include <math.h>

static void csr_rows_scalar(int64_t n, int64_t m, const int64_t* offsets, const int32_t* cols, const float* values,
                            const float* w, const float* bias, float* y) {
    for (int64_t i = 0; i < m; i++) {
        float* yi = y + i * n;
        for (int64_t j = 0; j < n; j++) yi[j] = bias ? bias[j] : 0.0f;
        for (int64_t p = offsets[i]; p < offsets[i + 1]; p++) {
            const float* wr = w + (int64_t)cols[p] * n;
            if (values)
                for (int64_t j = 0; j < n; j++) yi[j] = fmaf(values[p], wr[j], yi[j]);
            else
                for (int64_t j = 0; j < n; j++) yi[j] += wr[j];
        }
    }
}

static void scatter_rows_scalar(int64_t n, int64_t m, const int64_t* offsets, const int32_t* cols,
                                const float* values, const float* dy, const int32_t* slot, float* g, int32_t parts,
                                int32_t part) {
    for (int64_t i = 0; i < m; i++)
        for (int64_t p = offsets[i]; p < offsets[i + 1]; p++) {
            int32_t s = slot[cols[p]];
            if (s % parts != part) continue;
            float* gr = g + (int64_t)s * n;
            const float* d = dy + i * n;
            if (values)
                for (int64_t j = 0; j < n; j++) gr[j] = fmaf(values[p], d[j], gr[j]);
            else
                for (int64_t j = 0; j < n; j++) gr[j] += d[j];
        }
}

const hpc_sparse_kernels hpc_sparse_kernels_scalar = {csr_rows_scalar, scatter_rows_scalar};
