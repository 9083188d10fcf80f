/* Direct convolution vectorised over output channels, for layers with many input channels and
 * small images (LeNet's second layer: 32 -> 64 channels on 14 x 14). There im2col + GEMM is a thin
 * GEMM (64 x 196 x 800) behind a 627 KB column matrix that does not fit L2; this kernel reads the
 * (padded) image straight from L1/L2 instead. One ymm holds 8 output channels of one pixel; a row
 * block of up to 14 pixels (6 pixels of two channel blocks in deep layers) stays in registers, and
 * each tap (c, r, s) costs a weight-vector load per block and one broadcast per pixel. Any stride, padding and dilation: the taps
 * are scalar broadcasts, so the input's geometry costs nothing. */
#include "conv/conv_internal.h"
#include <immintrin.h>
#include "simd/floats_avx2.h"
#include "simd/transpose8_avx2.h"

#define OC HPC_CONV_OC
#define MAX_PB 14  /* pixels per register block: 14 accumulators + weights + a broadcast = 16 ymm */
#define MAX_ACC 14 /* accumulators: MAX_PB pixels of one block, or 6 pixels of two (maxpb below) */

/* x_img (c x h x w) -> xp (c x hp x wp) with ph / pw zeros around each plane. */
void hpc_conv_oc8_pad_image_avx2(const hpc_conv_geom* g, const float* x_img, float* xp, int64_t hp, int64_t wp) {
    for (int64_t c = 0; c < g->c; c++) {
        float* dst = xp + c * hp * wp;
        hpc_zero_floats(dst, g->ph * wp);
        for (int64_t ih = 0; ih < g->h; ih++) {
            float* row = dst + (g->ph + ih) * wp;
            hpc_zero_floats(row, g->pw);
            hpc_copy_floats(row + g->pw, x_img + (c * g->h + ih) * g->w, g->w);
            hpc_zero_floats(row + g->pw + g->w, wp - g->pw - g->w);
        }
        hpc_zero_floats(dst + (g->ph + g->h) * wp, (hp - g->ph - g->h) * wp);
    }
}

/* Channel-blocked staging for layers with c a multiple of 8 at stride 1: x_img (c x h x w) ->
 * xpb (c / 8 x hp x wp x 8), the 8 channels of a pixel side by side (oneDNN's nChw8c), padding
 * zeroed. A row block's taps then read 32 bytes a pixel per channel block instead of one float
 * from each of 8 planes, so its inputs stay in L1 while the weights stream past. */
void hpc_conv_oc8_pad_image_blocked_avx2(const hpc_conv_geom* g, const float* x_img, float* xpb, int64_t hp, int64_t wp) {
    const int64_t hw = g->h * g->w, w = g->w;
    for (int64_t cb = 0; cb < g->c / OC; cb++) {
        const float* src = x_img + cb * OC * hw;
        float* dst = xpb + cb * hp * wp * OC;
        hpc_zero_floats(dst, g->ph * wp * OC);
        for (int64_t ih = 0; ih < g->h; ih++) {
            float* row = dst + (g->ph + ih) * wp * OC;
            hpc_zero_floats(row, g->pw * OC);
            int64_t iw = 0;
            for (; iw + 8 <= w; iw += 8) transpose8(src + ih * w + iw, hw, row + (g->pw + iw) * OC, OC);
            for (; iw < w; iw++)
                for (int64_t ci = 0; ci < OC; ci++) row[(g->pw + iw) * OC + ci] = src[ci * hw + ih * w + iw];
            hpc_zero_floats(row + (g->pw + w) * OC, (wp - g->pw - w) * OC);
        }
        hpc_zero_floats(dst + (g->ph + g->h) * wp * OC, (hp - g->ph - g->h) * wp * OC);
    }
}

/* The channel-blocked counterpart of block() below, at stride 1: per tap (c / 8, r, s), 8 input
 * channels, each KB weight-vector loads and PB broadcasts for KB x PB FMAs. */
static inline __attribute__((always_inline)) void block_cb(const int PB, const int KB, const hpc_conv_geom* g,
                                                           const float* xpb, int64_t hp, int64_t wp, const float* wbk,
                                                           int64_t oh, int64_t ow0, __m256* out) {
    __m256 acc[MAX_ACC];
    for (int j = 0; j < KB * PB; j++) acc[j] = _mm256_setzero_ps();
    const int64_t CB = g->c / OC, R = g->r, S = g->s, dw8 = g->dw * OC;
    const int64_t plane8 = hp * wp * OC, rstep8 = g->dh * wp * OC, wnext = g->crs * OC;
    const float* base = xpb + (oh * wp + ow0) * OC;
    const float* wt = wbk;
    for (int64_t cb = 0; cb < CB; cb++, base += plane8) {
        const float* row = base;
        for (int64_t r = 0; r < R; r++, row += rstep8) {
            const float* xs = row;
            for (int64_t s = 0; s < S; s++, xs += dw8)
                for (int ci = 0; ci < OC; ci++, wt += OC) {
                    __m256 w0 = _mm256_loadu_ps(wt), w1 = KB > 1 ? _mm256_loadu_ps(wt + wnext) : w0;
                    for (int j = 0; j < PB; j++) {
                        __m256 xv = _mm256_broadcast_ss(xs + j * OC + ci);
                        acc[j] = _mm256_fmadd_ps(w0, xv, acc[j]);
                        if (KB > 1) acc[PB + j] = _mm256_fmadd_ps(w1, xv, acc[PB + j]);
                    }
                }
        }
    }
    for (int j = 0; j < KB * PB; j++) out[j] = acc[j];
}

/* PB pixels (ow0 .. ow0 + PB) of output row oh for KB blocks of 8 output channels (kb, kb + 1):
 * per tap, KB weight-vector loads and PB broadcasts feed KB x PB FMAs, so with two blocks each
 * broadcast serves two FMAs (12 accumulators for 6 pixels). STEP is the stride between
 * neighbouring pixels' taps: a constant 1 lets every broadcast use a fixed displacement. */
static inline __attribute__((always_inline)) void block(const int PB, const int KB, const int STEP,
                                                        const hpc_conv_geom* g, const float* xp, int64_t hp,
                                                        int64_t wp, const float* wbk, int64_t oh, int64_t ow0,
                                                        __m256* out) {
    __m256 acc[MAX_ACC];
    for (int j = 0; j < KB * PB; j++) acc[j] = _mm256_setzero_ps();
    const int64_t step = STEP ? STEP : g->sw, C = g->c, R = g->r, S = g->s, dw = g->dw;
    const int64_t plane = hp * wp, rstep = g->dh * wp, wnext = g->crs * OC;
    const float* base = xp + oh * g->sh * wp + ow0 * step;
    const float* wt = wbk;
    for (int64_t c = 0; c < C; c++, base += plane) {
        const float* row = base;
        for (int64_t r = 0; r < R; r++, row += rstep) {
            const float* xs = row;
            for (int64_t s = 0; s < S; s++, wt += OC, xs += dw) {
                __m256 w0 = _mm256_loadu_ps(wt), w1 = KB > 1 ? _mm256_loadu_ps(wt + wnext) : w0;
                for (int j = 0; j < PB; j++) {
                    __m256 xv = _mm256_broadcast_ss(xs + j * step);
                    acc[j] = _mm256_fmadd_ps(w0, xv, acc[j]);
                    if (KB > 1) acc[PB + j] = _mm256_fmadd_ps(w1, xv, acc[PB + j]);
                }
            }
        }
    }
    for (int j = 0; j < KB * PB; j++) out[j] = acc[j];
}

#define BLOCK_CASE(n, kb)                                                                                     \
    case n:                                                                                                   \
        if (blocked) block_cb(n, kb, g, xp, hp, wp, wbk, oh, ow0, acc);                                       \
        else if (g->sw == 1) block(n, kb, 1, g, xp, hp, wp, wbk, oh, ow0, acc);                               \
        else block(n, kb, 0, g, xp, hp, wp, wbk, oh, ow0, acc);                                               \
        break;

int hpc_conv_oc8_blocks_per_task_avx2(const hpc_conv_geom* g) { return g->crs >= 64 && g->k > OC ? 2 : 1; }

#define SEG 64 /* output columns finished per row tile: the tile is 2 x (SEG + 8) x 8 floats */

void hpc_conv_oc8_block_avx2(const hpc_conv_geom* g, const float* xp, const float* wb, const float* bias, int relu,
                             int64_t kb, int nkb, int blocked, float* y_img) {
    int64_t hp, wp;
    hpc_conv_oc8_padded_dims(g, &hp, &wp);
    int64_t maxpb = nkb > 1 ? 6 : MAX_PB; /* 2 x 6 accumulators + 2 weights + 1 broadcast: 15 ymm */
    int64_t ohw = g->oh * g->ow;
    /* A row's outputs wait in a pixel-major tile (8 channels a pixel), then go to NCHW as 8x8
     * register transposes: one 8-float store per channel for every 8 pixels, whatever the row
     * blocks' widths. The tile has 8 rows of slack so the last transpose may read past the row. */
    float tile[2][(SEG + 8) * OC] __attribute__((aligned(32)));
    float last[OC * OC] __attribute__((aligned(32)));
    const float* wbk = wb + kb * g->crs * OC;
    __m256 bv[2];
    int64_t valid[2];
    for (int q = 0; q < nkb; q++) {
        valid[q] = hpc_conv_oc_valid(g->k, kb + q);
        float bb[OC] = {0};
        if (bias)
            for (int64_t o = 0; o < valid[q]; o++) bb[o] = bias[(kb + q) * OC + o];
        bv[q] = _mm256_loadu_ps(bb);
    }
    for (int64_t oh = 0; oh < g->oh; oh++)
        for (int64_t seg0 = 0; seg0 < g->ow; seg0 += SEG) {
            /* the lines this segment's stores will write, fetched for writing while the FMAs run */
            for (int q = 0; q < nkb; q++)
                for (int64_t o = 0; o < valid[q]; o++) {
                    char* line = (char*)(y_img + (((kb + q) * OC + o) * g->oh + oh) * g->ow + seg0);
                    int64_t bytes = (g->ow - seg0 < SEG ? g->ow - seg0 : SEG) * (int64_t)sizeof(float);
                    for (int64_t e = 0; e < bytes; e += 64) _m_prefetchw(line + e);
                    _m_prefetchw(line + bytes - 1);
                }
            int64_t segw = g->ow - seg0 < SEG ? g->ow - seg0 : SEG;
            /* Row blocks of equal size (e.g. 28 columns -> 6 + 6 + 6 + 5 + 5), so no block runs
             * short of the ~8 independent accumulators that hide the FMA latency. */
            int64_t nblk = (segw + maxpb - 1) / maxpb, pb = (segw + nblk - 1) / nblk;
            for (int64_t ow0 = seg0; ow0 < seg0 + segw; ow0 += pb) {
                int n = (int)(seg0 + segw - ow0 < pb ? seg0 + segw - ow0 : pb);
                __m256 acc[MAX_ACC] = {0};
                if (nkb > 1) {
                    switch (n) { BLOCK_CASE(1, 2) BLOCK_CASE(2, 2) BLOCK_CASE(3, 2) BLOCK_CASE(4, 2) BLOCK_CASE(5, 2)
                                 BLOCK_CASE(6, 2) }
                } else {
                    switch (n) {
                        BLOCK_CASE(1, 1) BLOCK_CASE(2, 1) BLOCK_CASE(3, 1) BLOCK_CASE(4, 1) BLOCK_CASE(5, 1)
                        BLOCK_CASE(6, 1) BLOCK_CASE(7, 1) BLOCK_CASE(8, 1) BLOCK_CASE(9, 1) BLOCK_CASE(10, 1)
                        BLOCK_CASE(11, 1) BLOCK_CASE(12, 1) BLOCK_CASE(13, 1) BLOCK_CASE(14, 1)
                    }
                }
                for (int q = 0; q < nkb; q++)
                    for (int j = 0; j < n; j++) {
                        __m256 v = _mm256_add_ps(acc[q * n + j], bv[q]);
                        /* maxps returns its second operand when either is NaN: v second, so NaN propagates */
                        if (relu) v = _mm256_max_ps(_mm256_setzero_ps(), v);
                        _mm256_store_ps(tile[q] + (ow0 - seg0 + j) * OC, v);
                    }
            }
            for (int q = 0; q < nkb; q++) {
                float* yo = y_img + ((kb + q) * OC * g->oh + oh) * g->ow + seg0;
                for (int64_t j0 = 0; j0 < segw; j0 += 8) {
                    if (valid[q] == OC && j0 + 8 <= segw) {
                        transpose8(tile[q] + j0 * OC, OC, yo + j0, ohw);
                        continue;
                    }
                    /* a partial 8x8 block: transposed into registers all the same, stored in part */
                    int64_t cols = segw - j0 < 8 ? segw - j0 : 8;
                    transpose8(tile[q] + j0 * OC, OC, last, OC);
                    for (int64_t o = 0; o < valid[q]; o++)
                        for (int64_t j = 0; j < cols; j++) yo[o * ohw + j0 + j] = last[o * OC + j];
                }
            }
        }
}
#undef BLOCK_CASE
#undef SEG
