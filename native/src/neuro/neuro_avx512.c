/* AVX-512 instantiation of the neuro kernels. */
#include "eltwise/simd_avx512.h"
#include "eltwise/vmath_simd.h"
#include "neuro/neuro_simd.h"
