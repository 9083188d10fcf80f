/* AVX-512 instantiation of the sparse kernels. */
#include "eltwise/simd_avx512.h"
#include "sparse/sparse_simd.h"
