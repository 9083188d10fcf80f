/* The counter-based generator behind hpc_rng_* and dropout: Philox4x32-10 (Salmon et al.,
 * SC'11), keyed by the 64-bit seed. Every value is a pure function of (seed, element index),
 * so results are identical on every ISA path, thread count and split of a call into pieces.
 *
 * Element g of the stream takes one 32-bit word: g lies in super-block s = g / 64, at
 * e = g % 64, and is word e / 16 of the Philox block with counter 16 s + e % 16. This layout
 * lets a SIMD path run 16 (or 8) blocks side by side and store each output word vector to
 * 16 consecutive elements. */
#ifndef HPC_RANDOM_INTERNAL_H
#define HPC_RANDOM_INTERNAL_H
#include "hpcnn.h"

#define HPC_PHILOX_M0 0xD2511F53u
#define HPC_PHILOX_M1 0xCD9E8D57u
#define HPC_PHILOX_W0 0x9E3779B9u
#define HPC_PHILOX_W1 0xBB67AE85u

/* Philox4x32-10 of a 128-bit counter under a 64-bit key (the Random123 definition). */
void hpc_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);
/* The stream word of element g (one Philox block per call: for references and edges). */
uint32_t hpc_rng_word(uint64_t seed, uint64_t g);
/* Top 24 bits as a float in [0, 1): exact, so comparisons against it are exact too. */
static inline float hpc_rng_unit(uint32_t w) { return (float)(w >> 8) * (1.0f / 16777216.0f); }

/* Stream words for consecutive elements, one 64-word super-block (16 Philox blocks) at a time:
 * a quarter of the Philox work of hpc_rng_word per element on a sequential walk. */
typedef struct {
    uint64_t seed, super; /* super-block held in words, or UINT64_MAX for none */
    uint32_t words[64];
} hpc_rng_stream;
static inline hpc_rng_stream hpc_rng_stream_start(uint64_t seed) {
    hpc_rng_stream s = {seed, UINT64_MAX, {0}};
    return s;
}
uint32_t hpc_rng_stream_word(hpc_rng_stream* s, uint64_t g);

typedef struct hpc_random_kernels {
    /* out[i] = lo + (hi - lo) * unit(word(offset + i)). */
    void (*uniform)(uint64_t seed, uint64_t offset, int64_t n, float lo, float hi, float* out);
    /* m = unit(word(offset + i)) < keep ? scale : 0; mask[i] = m (mask may be null); y = x * m. */
    void (*dropout)(uint64_t seed, uint64_t offset, int64_t n, float keep, float scale, const float* x,
                    float* mask, float* y);
    /* out = a * b element-wise. */
    void (*mul)(int64_t n, const float* a, const float* b, float* out);
} hpc_random_kernels;

extern const hpc_random_kernels hpc_random_kernels_scalar;
extern const hpc_random_kernels hpc_random_kernels_avx2;
extern const hpc_random_kernels hpc_random_kernels_avx512;

#endif
