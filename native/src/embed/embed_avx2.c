/* AVX2 instantiation of the embedding kernels. */
#include "simd/simd_avx2.h"
#include "embed/embed_simd.h"
