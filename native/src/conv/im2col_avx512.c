/* AVX-512 im2col / col2im: 16-wide rows with masked tails, stride-2 rows de-interleaved with a
 * two-source permute. */
#define HPC_IM2COL_SUFFIX avx512
#include "simd/simd_avx512.h"
#include "conv/im2col_rows_simd.h"
#include "conv/im2col_impl.h"
