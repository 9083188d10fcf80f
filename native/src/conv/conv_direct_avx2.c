/* Direct convolution for small-channel layers (c * r * s <= 75, stride 1, no dilation: a network's
 * first layer, C = 1 or 3). There the im2col GEMM has a depth of at most 75, too shallow to pay for
 * its packing and C traffic; this kernel instead keeps 4 filters x 16 output pixels in registers and
 * streams the taps: per tap, two input vectors and four weight broadcasts feed eight FMAs.
 * The input rows of one output row are staged with their zero padding in a small stack buffer,
 * CHUNK output columns at a time, so no workspace is needed. */
#include "conv/conv_internal.h"
#include <immintrin.h>
#include <string.h>

#define CHUNK 64              /* output columns per staged chunk (a multiple of 16) */
#define ROW (CHUNK + 8 + 8)   /* staged row: CHUNK + s - 1 taps (s <= 8), rounded up */

/* Accumulators are named locals, not an array, so they stay in registers across the tap loop. */
static inline __attribute__((always_inline)) void taps4(const hpc_conv_geom* g, const float* stage, const float* w,
                                                        int64_t k, int64_t j, __m256 acc[8]) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    int64_t crs = g->crs;
    for (int64_t c = 0; c < g->c; c++)
        for (int64_t r = 0; r < g->r; r++) {
            const float* row = stage + (c * g->r + r) * ROW + j;
            const float* wt = w + k * crs + (c * g->r + r) * g->s;
            for (int64_t s = 0; s < g->s; s++) {
                __m256 x0 = _mm256_loadu_ps(row + s), x1 = _mm256_loadu_ps(row + s + 8);
                __m256 w0 = _mm256_broadcast_ss(wt + s), w1 = _mm256_broadcast_ss(wt + crs + s);
                __m256 w2 = _mm256_broadcast_ss(wt + 2 * crs + s), w3 = _mm256_broadcast_ss(wt + 3 * crs + s);
                a0 = _mm256_fmadd_ps(w0, x0, a0), a1 = _mm256_fmadd_ps(w0, x1, a1);
                a2 = _mm256_fmadd_ps(w1, x0, a2), a3 = _mm256_fmadd_ps(w1, x1, a3);
                a4 = _mm256_fmadd_ps(w2, x0, a4), a5 = _mm256_fmadd_ps(w2, x1, a5);
                a6 = _mm256_fmadd_ps(w3, x0, a6), a7 = _mm256_fmadd_ps(w3, x1, a7);
            }
        }
    acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3, acc[4] = a4, acc[5] = a5, acc[6] = a6, acc[7] = a7;
}

static inline __attribute__((always_inline)) void taps1(const hpc_conv_geom* g, const float* stage, const float* w,
                                                        int64_t k, int64_t j, __m256 acc[8]) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0;
    for (int64_t c = 0; c < g->c; c++)
        for (int64_t r = 0; r < g->r; r++) {
            const float* row = stage + (c * g->r + r) * ROW + j;
            const float* wt = w + k * g->crs + (c * g->r + r) * g->s;
            for (int64_t s = 0; s < g->s; s++) {
                __m256 w0 = _mm256_broadcast_ss(wt + s);
                a0 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(row + s), a0);
                a1 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(row + s + 8), a1);
            }
        }
    acc[0] = a0, acc[1] = a1;
}

static inline void store_out(float* dst, __m256 v0, __m256 v1, float b, int relu, int64_t n) {
    __m256 bv = _mm256_set1_ps(b);
    v0 = _mm256_add_ps(v0, bv), v1 = _mm256_add_ps(v1, bv);
    if (relu) {
        /* maxps returns its second operand when either is NaN: v second, so NaN propagates. */
        v0 = _mm256_max_ps(_mm256_setzero_ps(), v0);
        v1 = _mm256_max_ps(_mm256_setzero_ps(), v1);
    }
    if (n >= 16) {
        _mm256_storeu_ps(dst, v0);
        _mm256_storeu_ps(dst + 8, v1);
        return;
    }
    float tmp[16];
    _mm256_storeu_ps(tmp, v0);
    _mm256_storeu_ps(tmp + 8, v1);
    memcpy(dst, tmp, (size_t)n * sizeof(float));
}

/* Rows (c, r) of output row oh, columns ow0 - pw .. + span, zero where they fall in the padding. */
static void stage_rows(const hpc_conv_geom* g, const float* x_img, int64_t oh, int64_t ow0, int64_t span,
                       float* stage) {
    for (int64_t c = 0; c < g->c; c++)
        for (int64_t r = 0; r < g->r; r++) {
            float* st = stage + (c * g->r + r) * ROW;
            int64_t ih = oh - g->ph + r;
            if (ih < 0 || ih >= g->h) {
                memset(st, 0, (size_t)span * sizeof(float));
                continue;
            }
            const float* src = x_img + (c * g->h + ih) * g->w;
            for (int64_t t = 0; t < span; t++) {
                int64_t iw = ow0 - g->pw + t;
                st[t] = (iw >= 0 && iw < g->w) ? src[iw] : 0.0f;
            }
        }
}

void hpc_conv_direct_image_avx2(const hpc_conv_geom* g, const float* x_img, const float* w, const float* bias,
                                int relu, float* y_img) {
    float stage[75 * ROW];
    for (int64_t oh = 0; oh < g->oh; oh++) {
        for (int64_t ow0 = 0; ow0 < g->ow; ow0 += CHUNK) {
            int64_t cols = g->ow - ow0 < CHUNK ? g->ow - ow0 : CHUNK;
            int64_t span = ((cols + 15) / 16) * 16 + g->s - 1; /* taps the 16-wide blocks read */
            stage_rows(g, x_img, oh, ow0, span, stage);
            for (int64_t k = 0; k < g->k;) {
                int KB = g->k - k >= 4 ? 4 : 1;
                for (int64_t j = 0; j < cols; j += 16) {
                    __m256 acc[8];
                    if (KB == 4)
                        taps4(g, stage, w, k, j, acc);
                    else
                        taps1(g, stage, w, k, j, acc);
                    for (int kk = 0; kk < KB; kk++)
                        store_out(y_img + ((k + kk) * g->oh + oh) * g->ow + ow0 + j, acc[2 * kk], acc[2 * kk + 1],
                                  bias ? bias[k + kk] : 0.0f, relu, cols - j);
                }
                k += KB;
            }
        }
    }
}

/* The path's direct kernels, each in the file of its own family member. */
const hpc_conv_direct_kernels hpc_conv_direct_kernels_avx2 = {
    .shallow_image = hpc_conv_direct_image_avx2,
    .oc8_block = hpc_conv_oc8_block_avx2,
    .oc8_blocks_per_task = hpc_conv_oc8_blocks_per_task_avx2,
    .pad_image = hpc_conv_oc8_pad_image_avx2,
    .pad_image_blocked = hpc_conv_oc8_pad_image_blocked_avx2,
    .flat_stage_image = hpc_conv_flat_stage_image_avx2,
    .flat_image = hpc_conv_flat_image_avx2,
    .oc8_wgrad_supported = hpc_conv_oc8_wgrad_supported_avx2,
    .oc8_wgrad_blocks_per_task = hpc_conv_oc8_wgrad_blocks_per_task_avx2,
    .oc8_stage_dy = hpc_conv_oc8_stage_dy_avx2,
    .oc8_wgrad_task = hpc_conv_oc8_wgrad_task_avx2,
    .flat_wgrad_supported = hpc_conv_flat_wgrad_supported_avx2,
    .flat_wgrad_filters = hpc_conv_flat_wgrad_filters_avx2,
    .flat_wgrad_task = hpc_conv_flat_wgrad_task_avx2,
};
