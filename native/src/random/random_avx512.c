/* AVX-512 instantiation of the Philox uniform / dropout kernels. */
#include "simd/simd_avx512.h"
#include "random/random_simd.h"
