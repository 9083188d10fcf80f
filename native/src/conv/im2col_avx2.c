/* AVX2 im2col / col2im: 8-wide rows, stride-2 rows de-interleaved in registers. */
#define HPC_IM2COL_SUFFIX avx2
#include "simd/simd_avx2.h"
#include "conv/im2col_rows_simd.h"
#include "conv/im2col_impl.h"
