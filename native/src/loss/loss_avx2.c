/* AVX2 + FMA instantiation of the loss kernels. */
#include "eltwise/simd_avx2.h"
#include "eltwise/vmath_simd.h"
#include "loss/loss_simd.h"
