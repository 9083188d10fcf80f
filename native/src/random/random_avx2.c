/* AVX2 instantiation of the Philox uniform / dropout kernels. */
#include "eltwise/simd_avx2.h"
#include "random/random_simd.h"
