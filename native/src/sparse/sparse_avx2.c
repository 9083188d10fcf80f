/* AVX2 instantiation of the sparse kernels. */
#include "eltwise/simd_avx2.h"
#include "sparse/sparse_simd.h"
