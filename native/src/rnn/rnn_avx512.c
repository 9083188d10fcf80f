/* AVX-512 instantiation of the rnn family's cell passes. */
#include "eltwise/simd_avx512.h"
#include "eltwise/vmath_simd.h"
#include "rnn/rnn_simd.h"
