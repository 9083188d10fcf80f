/* Short float runs copied or zeroed in whole AVX2 vectors, for the files compiled with AVX2 or
 * AVX-512: the rows of convolution staging (a padded row of LeNet is 14-32 floats, where a libc
 * call per row costs more than the copy). */
#ifndef HPC_CORE_FLOATS_AVX2_H
#define HPC_CORE_FLOATS_AVX2_H
#include <immintrin.h>
#include <stdint.h>

/* n floats from src to dst: whole vectors, the last ending at n (overlapping the one before). */
static inline void hpc_copy_floats(float* dst, const float* src, int64_t n) {
    if (n < 8) {
        for (int64_t i = 0; i < n; i++) dst[i] = src[i];
        return;
    }
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_loadu_ps(src + i));
    if (i < n) _mm256_storeu_ps(dst + n - 8, _mm256_loadu_ps(src + n - 8));
}

static inline void hpc_zero_floats(float* dst, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_setzero_ps());
    for (; i < n; i++) dst[i] = 0.0f;
}

#endif
