/* AVX2 instantiation of the sparse kernels. */
#include "simd/simd_avx2.h"
#include "sparse/sparse_simd.h"
