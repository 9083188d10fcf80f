/* AVX2 + FMA instantiation of the neuro kernels. */
#include "simd/simd_avx2.h"
#include "simd/vmath_simd.h"
#include "neuro/neuro_simd.h"
