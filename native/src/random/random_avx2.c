/* AVX2 instantiation of the Philox uniform / dropout kernels. */
#include "simd/simd_avx2.h"
#include "random/random_simd.h"
