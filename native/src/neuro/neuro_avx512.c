/* AVX-512 instantiation of the neuro kernels. */
#include "simd/simd_avx512.h"
#include "simd/vmath_simd.h"
#include "neuro/neuro_simd.h"
