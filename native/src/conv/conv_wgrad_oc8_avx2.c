/* Direct weight gradient vectorised over 8 filters: dw[k][c][r][s] = sum over images and pixels of
 * dy[k][p] * x[c][tap(p, r, s)]. With dy staged pixel-major (8 filters per vector) and the input
 * padded, one pixel costs a dy-vector load plus, per tap of a block of kernel rows, a broadcast of
 * the input and an FMA into that tap's accumulator. Replaces the im2col GEMM, whose depth per
 * image is only the pixel count (196 for LeNet's second layer, so C is re-read every image) and
 * which re-packs the column matrix for every image. Each (8-filter block, channel) is one task
 * reducing images then pixels in order: the result never depends on the thread count. */
#include "conv/conv_internal.h"
#include <immintrin.h>
#include <string.h>
#include "core/transpose8_avx2.h"

#define OC HPC_CONV_OC
#define MAX_ACC 14

/* dy of one image (k x ohw) -> dst[k / 8][p][8], filters past k zero. */
void hpc_conv_oc8_stage_dy(const hpc_conv_geom* g, const float* dy_img, float* dst) {
    int64_t blocks = hpc_conv_oc_blocks(g->k);
    for (int64_t kb = 0; kb < blocks; kb++) {
        float* d = dst + kb * g->ohw * OC;
        const float* src = dy_img + kb * OC * g->ohw;
        int64_t valid = hpc_conv_oc_valid(g->k, kb), p = 0;
        if (valid == OC)
            for (; p + 8 <= g->ohw; p += 8) transpose8(src + p, g->ohw, d + p * OC, OC);
        for (; p < g->ohw; p++)
            for (int64_t o = 0; o < OC; o++) d[p * OC + o] = o < valid ? src[o * g->ohw + p] : 0.0f;
    }
}

/* RB kernel rows (r0 ..) x S taps of one channel plane for one 8-filter block, summed over all
 * images: acc[i * S + s] for kernel row r0 + i, column s. */
static inline __attribute__((always_inline)) void taps(const int RB, const int S, const hpc_conv_geom* g,
                                                       const float* xpad, int64_t hp, int64_t wp, const float* dyt,
                                                       int64_t kb, int64_t c, int64_t r0, __m256* out) {
    __m256 acc[MAX_ACC];
    for (int t = 0; t < RB * S; t++) acc[t] = _mm256_setzero_ps();
    const int64_t kblocks = hpc_conv_oc_blocks(g->k), rstep = g->dh * wp, sw = g->sw;
    for (int64_t b = 0; b < g->n; b++) {
        const float* plane = xpad + (b * g->c + c) * hp * wp + r0 * g->dh * wp;
        const float* dv = dyt + (b * kblocks + kb) * g->ohw * OC;
        for (int64_t oh = 0; oh < g->oh; oh++) {
            const float* x = plane + oh * g->sh * wp;
            for (int64_t ow = 0; ow < g->ow; ow++, dv += OC, x += sw) {
                __m256 d = _mm256_loadu_ps(dv);
                for (int i = 0; i < RB; i++)
                    for (int s = 0; s < S; s++)
                        acc[i * S + s] = _mm256_fmadd_ps(d, _mm256_broadcast_ss(x + i * rstep + s), acc[i * S + s]);
            }
        }
    }
    for (int t = 0; t < RB * S; t++) out[t] = acc[t];
}

/* Kernel rows per block for S taps a row: as many as MAX_ACC accumulators hold, at most 7. */
static int rows_per_block(int64_t s) { return MAX_ACC / s < 7 ? (int)(MAX_ACC / s) : 7; }

#define TAPS(RB, S) taps(RB, S, g, xpad, hp, wp, dyt, kb, c, r0, acc)
#define ROWS_CASES(S)                                                                                             \
    switch (rb) {                                                                                                 \
    case 1: TAPS(1, S); break;                                                                                    \
    case 2: if (2 * S <= MAX_ACC) TAPS(2 * (2 * S <= MAX_ACC), S); break;                                         \
    case 3: if (3 * S <= MAX_ACC) TAPS(3 * (3 * S <= MAX_ACC), S); break;                                         \
    case 4: if (4 * S <= MAX_ACC) TAPS(4 * (4 * S <= MAX_ACC), S); break;                                         \
    case 5: if (5 * S <= MAX_ACC) TAPS(5 * (5 * S <= MAX_ACC), S); break;                                         \
    case 6: if (6 * S <= MAX_ACC) TAPS(6 * (6 * S <= MAX_ACC), S); break;                                         \
    case 7: if (7 * S <= MAX_ACC) TAPS(7 * (7 * S <= MAX_ACC), S); break;                                         \
    }

int hpc_conv_oc8_wgrad_supported(const hpc_conv_geom* g) { return g->dw == 1 && g->s <= 7; }

void hpc_conv_oc8_wgrad_task_avx2(const hpc_conv_geom* g, const float* xpad, int64_t hp, int64_t wp, const float* dyt,
                                  int64_t kb, int64_t c, float* dw) {
    int64_t valid = hpc_conv_oc_valid(g->k, kb), rs = g->r * g->s;
    int rbmax = rows_per_block(g->s);
    float tmp[MAX_ACC * OC] __attribute__((aligned(32)));
    for (int64_t r0 = 0; r0 < g->r; r0 += rbmax) {
        int rb = (int)(g->r - r0 < rbmax ? g->r - r0 : rbmax);
        __m256 acc[MAX_ACC] = {0};
        switch ((int)g->s) {
        case 1: ROWS_CASES(1) break;
        case 2: ROWS_CASES(2) break;
        case 3: ROWS_CASES(3) break;
        case 4: ROWS_CASES(4) break;
        case 5: ROWS_CASES(5) break;
        case 6: ROWS_CASES(6) break;
        case 7: ROWS_CASES(7) break;
        }
        int ntaps = rb * (int)g->s;
        for (int t = 0; t < ntaps; t++) _mm256_store_ps(tmp + t * OC, acc[t]);
        for (int64_t o = 0; o < valid; o++) {
            float* d = dw + ((kb * OC + o) * g->c + c) * rs + r0 * g->s;
            for (int t = 0; t < ntaps; t++) d[t] = tmp[t * OC + o];
        }
    }
}
#undef TAPS
#undef ROWS_CASES
