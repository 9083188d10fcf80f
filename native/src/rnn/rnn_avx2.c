/* AVX2 + FMA instantiation of the rnn family's cell passes. */
#include "simd/simd_avx2.h"
#include "simd/vmath_simd.h"
#include "rnn/rnn_simd.h"
