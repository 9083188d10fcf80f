/* AVX-512 instantiation of the sparse kernels. */
#include "simd/simd_avx512.h"
#include "sparse/sparse_simd.h"
