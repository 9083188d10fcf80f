/* AVX-512 instantiation of the loss kernels. */
#include "eltwise/simd_avx512.h"
#include "eltwise/vmath_simd.h"
#include "loss/loss_simd.h"
