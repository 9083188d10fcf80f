/* Direct weight gradient vectorised over 8 filters: dw[k][c][r][s] = sum over images and pixels of
 * dy[k][p] * x[c][tap(p, r, s)]. With dy staged pixel-major (8 filters per vector) and the input
 * padded, one pixel costs a dy-vector load per filter block plus, per tap of a block of kernel rows,
 * a broadcast of the input feeding one FMA per filter block. Replaces the im2col GEMM, whose depth
 * per image is only the pixel count (196 for LeNet's second layer, so C is re-read every image) and
 * which re-packs the column matrix for every image.
 *
 * Images are the outer loop: one image's dy for two filter blocks (12.5 KB for LeNet's second
 * layer) stays in L1 while every channel and kernel row passes over it, and the partial sums wait
 * in a blocked buffer (dwb, the packed-weight layout) between images. Loading them back into the
 * accumulators continues the same running sum, so every dw is summed over images, then pixels, in
 * order: the result never depends on the thread count or on how channels are grouped into tasks. */
#include "conv/conv_internal.h"
#include <immintrin.h>
#include <string.h>
#include "simd/transpose8_avx2.h"

#define OC HPC_CONV_OC
/* Accumulators one pass may hold: 14 for one filter block (+ dy + broadcast = 16 ymm), 12 for
 * two (+ 2 dy vectors + broadcast = 15). */
#define ACC_CAP(KB) ((KB) == 1 ? 14 : 12)

/* dy of one image (k x ohw) -> dst[k / 8][p][8], filters past k zero. */
void hpc_conv_oc8_stage_dy_avx2(const hpc_conv_geom* g, const float* dy_img, float* dst) {
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

/* RB kernel rows (r0 ..) x S taps of channel plane x for KB filter blocks over the pixels of one
 * image, continuing the sums in sums[q][tap][8] (rows r0 .. of block q, blocks qstride floats
 * apart), or starting them when first. */
static inline __attribute__((always_inline)) void taps(const int KB, const int RB, const int S,
                                                       const hpc_conv_geom* g, const float* x, int64_t wp,
                                                       const float* dv, float* sums, int64_t qstride, int first) {
    __m256 acc[14];
    const int T = RB * S;
    for (int q = 0; q < KB; q++)
        for (int t = 0; t < T; t++)
            acc[q * T + t] = first ? _mm256_setzero_ps() : _mm256_loadu_ps(sums + q * qstride + t * OC);
    const int64_t rstep = g->dh * wp, sw = g->sw, ohw8 = g->ohw * OC;
    for (int64_t oh = 0; oh < g->oh; oh++) {
        const float* xr = x + oh * g->sh * wp;
        for (int64_t ow = 0; ow < g->ow; ow++, dv += OC, xr += sw) {
            __m256 d0 = _mm256_loadu_ps(dv), d1 = KB > 1 ? _mm256_loadu_ps(dv + ohw8) : d0;
            for (int i = 0; i < RB; i++)
                for (int s = 0; s < S; s++) {
                    __m256 xb = _mm256_broadcast_ss(xr + i * rstep + s);
                    acc[i * S + s] = _mm256_fmadd_ps(d0, xb, acc[i * S + s]);
                    if (KB > 1) acc[T + i * S + s] = _mm256_fmadd_ps(d1, xb, acc[T + i * S + s]);
                }
        }
    }
    for (int q = 0; q < KB; q++)
        for (int t = 0; t < T; t++) _mm256_storeu_ps(sums + q * qstride + t * OC, acc[q * T + t]);
}

/* Kernel rows per pass for S taps a row and KB blocks: as many as the accumulators hold, at most 7. */
static int rows_per_block(int kbn, int64_t s) {
    int64_t rows = ACC_CAP(kbn) / (kbn * s);
    return rows < 7 ? (int)rows : 7;
}

#define TAPS(KB, RB, S) taps(KB, RB, S, g, x, wp, dv, sums, qstride, first)
#define FITS(KB, RB, S) ((RB) * (S) * (KB) <= ACC_CAP(KB))
#define ROW_CASE(KB, RB, S) \
    case RB: if (FITS(KB, RB, S)) TAPS(KB, FITS(KB, RB, S) ? RB : 1, S); break;
#define ROWS_CASES(KB, S)                                                                                         \
    switch (rb) { ROW_CASE(KB, 1, S) ROW_CASE(KB, 2, S) ROW_CASE(KB, 3, S) ROW_CASE(KB, 4, S) ROW_CASE(KB, 5, S) \
                  ROW_CASE(KB, 6, S) ROW_CASE(KB, 7, S) }
#define S_CASES(KB)                                                                                               \
    switch ((int)g->s) {                                                                                          \
    case 1: ROWS_CASES(KB, 1) break;                                                                              \
    case 2: ROWS_CASES(KB, 2) break;                                                                              \
    case 3: ROWS_CASES(KB, 3) break;                                                                              \
    case 4: ROWS_CASES(KB, 4) break;                                                                              \
    case 5: ROWS_CASES(KB, 5) break;                                                                              \
    case 6: ROWS_CASES(KB, 6) break;                                                                              \
    case 7: ROWS_CASES(KB, 7) break;                                                                              \
    }

int hpc_conv_oc8_wgrad_supported_avx2(const hpc_conv_geom* g) { return g->dw == 1 && g->s <= 7; }

int hpc_conv_oc8_wgrad_blocks_per_task_avx2(const hpc_conv_geom* g) { return g->s <= 6 && g->k > OC ? 2 : 1; }

void hpc_conv_oc8_wgrad_task_avx2(const hpc_conv_geom* g, const float* xpad, int64_t hp, int64_t wp, const float* dyt,
                                  int64_t kb, int nkb, int64_t c0, int64_t c1, float* dwb, float* dw) {
    const int64_t kblocks = hpc_conv_oc_blocks(g->k), rs = g->r * g->s, qstride = g->c * rs * OC;
    const int rbmax = rows_per_block(nkb, g->s);
    for (int64_t b = 0; b < g->n; b++) {
        const int first = b == 0;
        const float* dv = dyt + (b * kblocks + kb) * g->ohw * OC;
        for (int64_t c = c0; c < c1; c++)
            for (int64_t r0 = 0; r0 < g->r; r0 += rbmax) {
                int rb = (int)(g->r - r0 < rbmax ? g->r - r0 : rbmax);
                const float* x = xpad + (b * g->c + c) * hp * wp + r0 * g->dh * wp;
                float* sums = dwb + ((kb * g->c + c) * rs + r0 * g->s) * OC;
                if (nkb > 1) { S_CASES(2) }
                else { S_CASES(1) }
            }
    }
    for (int q = 0; q < nkb; q++) {
        int64_t valid = hpc_conv_oc_valid(g->k, kb + q);
        for (int64_t o = 0; o < valid; o++)
            for (int64_t c = c0; c < c1; c++) {
                float* d = dw + ((kb + q) * OC + o) * g->c * rs + c * rs;
                const float* s = dwb + (((kb + q) * g->c + c) * rs) * OC + o;
                for (int64_t t = 0; t < rs; t++) d[t] = s[t * OC];
            }
    }
}
#undef TAPS
#undef FITS
#undef ROW_CASE
#undef ROWS_CASES
#undef S_CASES
