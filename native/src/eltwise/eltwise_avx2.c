/* AVX2 + FMA instantiation of the eltwise kernels. */
#include "simd/simd_avx2.h"
#include "simd/vmath_simd.h"
#include "eltwise/eltwise_simd.h"
