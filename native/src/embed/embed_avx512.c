/* AVX-512 instantiation of the embedding kernels. */
#include "simd/simd_avx512.h"
#include "embed/embed_simd.h"
