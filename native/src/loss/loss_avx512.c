/* AVX-512 instantiation of the loss kernels. */
#include "simd/simd_avx512.h"
#include "simd/vmath_simd.h"
#include "loss/loss_simd.h"
