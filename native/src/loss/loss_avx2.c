/* AVX2 + FMA instantiation of the loss kernels. */
#include "simd/simd_avx2.h"
#include "simd/vmath_simd.h"
#include "loss/loss_simd.h"
