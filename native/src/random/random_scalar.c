/* Scalar Philox4x32-10 and the reference uniform / dropout loops. */
#include "random/random_internal.h"

void hpc_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
    uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3], k0 = key[0], k1 = key[1];
    for (int r = 0; r < 10; r++) {
        uint64_t p0 = (uint64_t)HPC_PHILOX_M0 * c0, p1 = (uint64_t)HPC_PHILOX_M1 * c2;
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0, n1 = (uint32_t)p1;
        uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1, n3 = (uint32_t)p0;
        c0 = n0, c1 = n1, c2 = n2, c3 = n3;
        k0 += HPC_PHILOX_W0;
        k1 += HPC_PHILOX_W1;
    }
    out[0] = c0, out[1] = c1, out[2] = c2, out[3] = c3;
}

uint32_t hpc_rng_word(uint64_t seed, uint64_t g) {
    uint64_t e = g % 64, block = (g / 64) * 16 + e % 16;
    uint32_t ctr[4] = {(uint32_t)block, (uint32_t)(block >> 32), 0, 0};
    uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    uint32_t w[4];
    hpc_philox4x32(ctr, key, w);
    return w[e / 16];
}

uint32_t hpc_rng_stream_word(hpc_rng_stream* s, uint64_t g) {
    if (g / 64 != s->super) {
        s->super = g / 64;
        uint32_t key[2] = {(uint32_t)s->seed, (uint32_t)(s->seed >> 32)};
        for (uint32_t b = 0; b < 16; b++) {
            uint64_t block = s->super * 16 + b;
            uint32_t ctr[4] = {(uint32_t)block, (uint32_t)(block >> 32), 0, 0}, w[4];
            hpc_philox4x32(ctr, key, w);
            for (int k = 0; k < 4; k++) s->words[16 * k + b] = w[k];
        }
    }
    return s->words[g % 64];
}

static void uniform(uint64_t seed, uint64_t offset, int64_t n, float lo, float hi, float* out) {
    float range = hi - lo;
    hpc_rng_stream s = hpc_rng_stream_start(seed);
    for (int64_t i = 0; i < n; i++) out[i] = lo + range * hpc_rng_unit(hpc_rng_stream_word(&s, offset + (uint64_t)i));
}

static void dropout(uint64_t seed, uint64_t offset, int64_t n, float keep, float scale, const float* x, float* mask,
                    float* y) {
    hpc_rng_stream s = hpc_rng_stream_start(seed);
    for (int64_t i = 0; i < n; i++) {
        float m = hpc_rng_unit(hpc_rng_stream_word(&s, offset + (uint64_t)i)) < keep ? scale : 0.0f;
        if (mask) mask[i] = m;
        y[i] = x[i] * m;
    }
}

static void mul(int64_t n, const float* a, const float* b, float* out) {
    for (int64_t i = 0; i < n; i++) out[i] = a[i] * b[i];
}

const hpc_random_kernels hpc_random_kernels_scalar = {uniform, dropout, mul};
