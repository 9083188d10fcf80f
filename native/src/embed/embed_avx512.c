/* AVX-512 instantiation of the embedding kernels. */
#include "eltwise/simd_avx512.h"
#include "embed/embed_simd.h"
