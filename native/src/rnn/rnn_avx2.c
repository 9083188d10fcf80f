/* AVX2 + FMA instantiation of the rnn family's cell passes. */
#include "eltwise/simd_avx2.h"
#include "eltwise/vmath_simd.h"
#include "rnn/rnn_simd.h"
