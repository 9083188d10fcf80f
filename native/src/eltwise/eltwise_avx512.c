/* AVX-512 instantiation of the eltwise kernels. */
#include "eltwise/simd_avx512.h"
#include "eltwise/vmath_simd.h"
#include "eltwise/eltwise_simd.h"
