/* AVX2 + FMA instantiation of the neuro kernels. */
#include "eltwise/simd_avx2.h"
#include "eltwise/vmath_simd.h"
#include "neuro/neuro_simd.h"
