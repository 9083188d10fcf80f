/* AVX-512 instantiation of the eltwise kernels. */
#include "simd/simd_avx512.h"
#include "simd/vmath_simd.h"
#include "eltwise/eltwise_simd.h"
