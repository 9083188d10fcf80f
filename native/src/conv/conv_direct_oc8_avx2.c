/* Direct convolution vectorised over output channels, for layers with many input channels and
 * small images (LeNet's second layer: 32 -> 64 channels on 14 x 14). There im2col + GEMM is a thin
 * GEMM (64 x 196 x 800) behind a 627 KB column matrix that does not fit L2; this kernel reads the
 * (padded) image straight from L1/L2 instead. One ymm holds 8 output channels of one pixel; a row
 * block of up to 14 pixels keeps 14 accumulators, and each tap (c, r, s) costs one weight-vector
 * load, one broadcast per pixel and one FMA per pixel. Any stride, padding and dilation: the taps
 * are scalar broadcasts, so the input's geometry costs nothing. */
#include "conv/conv_internal.h"
#include <immintrin.h>
#include <string.h>
#include "conv/transpose8_avx2.h"

#define OC 8       /* output channels per vector */
#define MAX_PB 14  /* pixels per register block: 14 accumulators + weights + a broadcast = 16 ymm */

/* w[k][c][r][s] -> wb[k / 8][c][r][s][8], channels past k zero. */
void hpc_conv_oc8_pack_weights(const hpc_conv_geom* g, const float* w, float* wb) {
    int64_t blocks = (g->k + OC - 1) / OC;
    for (int64_t kb = 0; kb < blocks; kb++)
        for (int64_t t = 0; t < g->crs; t++)
            for (int64_t o = 0; o < OC; o++) {
                int64_t k = kb * OC + o;
                wb[(kb * g->crs + t) * OC + o] = k < g->k ? w[k * g->crs + t] : 0.0f;
            }
}

/* The weights of the convolution that computes dx from dy (stride 1): filters and channels
 * swapped and the kernel flipped, wb[c / 8][k][r'][s'][8] = w[k][c][r - 1 - r'][s - 1 - s'], in
 * the layout hpc_conv_oc8_image_avx2 reads for a layer with k input and c output channels. */
void hpc_conv_oc8_pack_weights_flipped(const hpc_conv_geom* g, const float* w, float* wb) {
    int64_t blocks = (g->c + OC - 1) / OC, rs = g->r * g->s;
    for (int64_t cb = 0; cb < blocks; cb++)
        for (int64_t k = 0; k < g->k; k++)
            for (int64_t t = 0; t < rs; t++)
                for (int64_t o = 0; o < OC; o++) {
                    int64_t c = cb * OC + o;
                    wb[((cb * g->k + k) * rs + t) * OC + o] = c < g->c ? w[(k * g->c + c) * rs + (rs - 1 - t)] : 0.0f;
                }
}

/* x_img (c x h x w) -> xp (c x hp x wp) with ph / pw zeros around each plane. */
void hpc_conv_oc8_pad_image(const hpc_conv_geom* g, const float* x_img, float* xp, int64_t hp, int64_t wp) {
    for (int64_t c = 0; c < g->c; c++) {
        float* dst = xp + c * hp * wp;
        memset(dst, 0, (size_t)(g->ph * wp) * sizeof(float));
        for (int64_t ih = 0; ih < g->h; ih++) {
            float* row = dst + (g->ph + ih) * wp;
            memset(row, 0, (size_t)g->pw * sizeof(float));
            memcpy(row + g->pw, x_img + (c * g->h + ih) * g->w, (size_t)g->w * sizeof(float));
            memset(row + g->pw + g->w, 0, (size_t)(wp - g->pw - g->w) * sizeof(float));
        }
        memset(dst + (g->ph + g->h) * wp, 0, (size_t)((hp - g->ph - g->h) * wp) * sizeof(float));
    }
}

/* PB pixels (ow0 .. ow0 + PB) of output row oh, output channels kb*8 .. +8. STEP is the stride
 * between neighbouring pixels' taps: a constant 1 lets every broadcast use a fixed displacement. */
static inline __attribute__((always_inline)) void block(const int PB, const int STEP, const hpc_conv_geom* g,
                                                        const float* xp, int64_t hp, int64_t wp, const float* wbk,
                                                        int64_t oh, int64_t ow0, __m256* out) {
    __m256 acc[MAX_PB];
    for (int j = 0; j < PB; j++) acc[j] = _mm256_setzero_ps();
    const int64_t step = STEP ? STEP : g->sw, C = g->c, R = g->r, S = g->s, dw = g->dw;
    const int64_t plane = hp * wp, rstep = g->dh * wp;
    const float* base = xp + oh * g->sh * wp + ow0 * step;
    const float* wt = wbk;
    for (int64_t c = 0; c < C; c++, base += plane) {
        const float* row = base;
        for (int64_t r = 0; r < R; r++, row += rstep) {
            const float* xs = row;
            for (int64_t s = 0; s < S; s++, wt += OC, xs += dw) {
                __m256 wv = _mm256_loadu_ps(wt);
                for (int j = 0; j < PB; j++) acc[j] = _mm256_fmadd_ps(wv, _mm256_broadcast_ss(xs + j * step), acc[j]);
            }
        }
    }
    for (int j = 0; j < PB; j++) out[j] = acc[j];
}

#define BLOCK_CASE(n) \
    case n:                                                                                                   \
        if (g->sw == 1) block(n, 1, g, xp, hp, wp, wbk, oh, ow0, acc);                                        \
        else block(n, 0, g, xp, hp, wp, wbk, oh, ow0, acc);                                                   \
        break;

/* The padded plane: every tap of every output inside it, and the whole input with its padding. */
void hpc_conv_oc8_padded_dims(const hpc_conv_geom* g, int64_t* hp, int64_t* wp) {
    *hp = (g->oh - 1) * g->sh + (g->r - 1) * g->dh + 1;
    *wp = (g->ow - 1) * g->sw + (g->s - 1) * g->dw + 1;
    if (*hp < g->h + 2 * g->ph) *hp = g->h + 2 * g->ph;
    if (*wp < g->w + 2 * g->pw) *wp = g->w + 2 * g->pw;
}

void hpc_conv_oc8_block_avx2(const hpc_conv_geom* g, const float* xp, const float* wb, const float* bias, int relu,
                             int64_t kb, float* y_img) {
    int64_t hp, wp;
    hpc_conv_oc8_padded_dims(g, &hp, &wp);
    /* Row blocks of equal size (e.g. 32 columns -> 11 + 11 + 10), so no block runs short of the
     * ~8 independent accumulators that hide the FMA latency. */
    int64_t nblk = (g->ow + MAX_PB - 1) / MAX_PB, pb = (g->ow + nblk - 1) / nblk;
    float tmp[MAX_PB * OC] __attribute__((aligned(32)));
    const float* wbk = wb + kb * g->crs * OC;
    int64_t valid = g->k - kb * OC < OC ? g->k - kb * OC : OC;
    __m256 bv = _mm256_setzero_ps();
    if (bias) {
        float bb[OC] = {0};
        for (int64_t o = 0; o < valid; o++) bb[o] = bias[kb * OC + o];
        bv = _mm256_loadu_ps(bb);
    }
    for (int64_t oh = 0; oh < g->oh; oh++)
        for (int64_t ow0 = 0; ow0 < g->ow; ow0 += pb) {
            int n = (int)(g->ow - ow0 < pb ? g->ow - ow0 : pb);
            __m256 acc[MAX_PB] = {0};
            switch (n) {
                BLOCK_CASE(1) BLOCK_CASE(2) BLOCK_CASE(3) BLOCK_CASE(4) BLOCK_CASE(5) BLOCK_CASE(6) BLOCK_CASE(7)
                BLOCK_CASE(8) BLOCK_CASE(9) BLOCK_CASE(10) BLOCK_CASE(11) BLOCK_CASE(12) BLOCK_CASE(13)
                BLOCK_CASE(14)
            }
            for (int j = 0; j < n; j++) {
                __m256 v = _mm256_add_ps(acc[j], bv);
                /* maxps returns its second operand when either is NaN: v second, so NaN propagates */
                if (relu) v = _mm256_max_ps(_mm256_setzero_ps(), v);
                _mm256_store_ps(tmp + j * OC, v);
            }
            /* Back to NCHW: 8 pixels of the 8 channels at a time as a register transpose (one
             * store per channel instead of eight), the rest one float at a time. */
            float* yo = y_img + (kb * OC * g->oh + oh) * g->ow + ow0;
            int j0 = 0;
            if (valid == OC)
                for (; j0 + 8 <= n; j0 += 8) transpose8(tmp + j0 * OC, OC, yo + j0, g->oh * g->ow);
            for (int64_t o = 0; o < valid; o++)
                for (int j = j0; j < n; j++) yo[o * g->oh * g->ow + j] = tmp[j * OC + o];
        }
}
#undef BLOCK_CASE
