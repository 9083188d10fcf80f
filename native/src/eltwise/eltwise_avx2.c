/* AVX2 + FMA instantiation of the eltwise kernels. */
#include "eltwise/simd_avx2.h"
#include "eltwise/vmath_simd.h"
#include "eltwise/eltwise_simd.h"
