/* Direct convolution vectorised over output pixels, for shallow layers at stride 1 (a network's
 * first layer: C = 1 or 3, so c * r * s taps are few and the channel-vectorised kernel spends as
 * long transposing its outputs back to NCHW as computing them). The padded image is read as one
 * flat row: output pixel (oh, ow) sits at oh * wp + ow of a grid as wide as the padded input, so
 * tap (c, r, s) is the same constant offset for every pixel and 24 consecutive outputs are three
 * unaligned vector loads away, row ends or not. Per tap, 3 input vectors and 4 weight broadcasts
 * feed 12 FMAs. The wp - ow columns past each row's end are computed and dropped: 12.5% extra for
 * LeNet's 28-wide rows padded to 32. Any dilation; vertical and horizontal stride 1. */
#include "conv/conv_internal.h"
#include <immintrin.h>
#include <string.h>

#define KF 4        /* filters per register block */
#define FV 3        /* pixel vectors per register block */
#define QB (FV * 8) /* outputs per register block */
#define TMAX 1024   /* flat outputs staged per filter before they go to NCHW */

/* Outputs q .. q + 24 of the flat grid for NK filters from k0: tmp[f * tstride + j]. */
static inline __attribute__((always_inline)) void flat_block(const int NK, const hpc_conv_geom* g, const float* xq,
                                                             int64_t plane, int64_t wp, const float* wk,
                                                             float* out, int64_t tstride) {
    __m256 acc[KF * FV];
    for (int j = 0; j < NK * FV; j++) acc[j] = _mm256_setzero_ps();
    const int64_t rstep = g->dh * wp, dw = g->dw, crs = g->crs;
    const float* wt = wk;
    for (int64_t c = 0; c < g->c; c++, xq += plane) {
        const float* row = xq;
        for (int64_t r = 0; r < g->r; r++, row += rstep) {
            const float* xs = row;
            for (int64_t s = 0; s < g->s; s++, xs += dw, wt++) {
                __m256 x0 = _mm256_loadu_ps(xs), x1 = _mm256_loadu_ps(xs + 8), x2 = _mm256_loadu_ps(xs + 16);
                for (int f = 0; f < NK; f++) {
                    __m256 wv = _mm256_broadcast_ss(wt + f * crs);
                    acc[f * FV] = _mm256_fmadd_ps(wv, x0, acc[f * FV]);
                    acc[f * FV + 1] = _mm256_fmadd_ps(wv, x1, acc[f * FV + 1]);
                    acc[f * FV + 2] = _mm256_fmadd_ps(wv, x2, acc[f * FV + 2]);
                }
            }
        }
    }
    for (int f = 0; f < NK; f++)
        for (int v = 0; v < FV; v++) _mm256_storeu_ps(out + f * tstride + v * 8, acc[f * FV + v]);
}

int hpc_conv_flat_supported(const hpc_conv_geom* g) {
    int64_t hp, wp;
    hpc_conv_oc8_padded_dims(g, &hp, &wp);
    return g->sh == 1 && g->sw == 1 && wp <= TMAX;
}

void hpc_conv_flat_image_avx2(const hpc_conv_geom* g, const float* xp, const float* w, const float* bias, int relu,
                              int64_t k0, int64_t nk, float* y_img) {
    int64_t hp, wp;
    hpc_conv_oc8_padded_dims(g, &hp, &wp);
    const int64_t plane = hp * wp, rows = TMAX / wp, tstride = TMAX + QB;
    float tmp[KF * (TMAX + QB)] __attribute__((aligned(32)));
    for (int64_t oh0 = 0; oh0 < g->oh; oh0 += rows) {
        int64_t nr = g->oh - oh0 < rows ? g->oh - oh0 : rows, qlen = (nr - 1) * wp + g->ow;
        const float* xrow = xp + oh0 * wp;
        for (int64_t kf = k0; kf < k0 + nk; kf += KF) {
            int nf = (int)(k0 + nk - kf < KF ? k0 + nk - kf : KF);
            const float* wk = w + kf * g->crs;
            /* The outputs' lines, fetched for writing while the FMAs run: the copy below is a
             * burst of stores that would otherwise wait on every line's read-for-ownership. */
            const int64_t plane_bytes = nr * g->ow * (int64_t)sizeof(float), nblocks = (qlen + QB - 1) / QB;
            const int64_t lines = (plane_bytes + 63) / 64, per_block = (nf * lines + nblocks - 1) / nblocks;
            int64_t pf_plane = 0, pf_line = 0; /* the next line to fetch: plane kf + pf_plane, line pf_line */
            for (int64_t q = 0; q < qlen; q += QB) {
                for (int64_t e = 0; e < per_block && pf_plane < nf; e++) {
                    _m_prefetchw((char*)(y_img + ((kf + pf_plane) * g->oh + oh0) * g->ow) + pf_line * 64);
                    if (++pf_line == lines) pf_line = 0, pf_plane++;
                }
                switch (nf) {
                case 4: flat_block(4, g, xrow + q, plane, wp, wk, tmp + q, tstride); break;
                case 3: flat_block(3, g, xrow + q, plane, wp, wk, tmp + q, tstride); break;
                case 2: flat_block(2, g, xrow + q, plane, wp, wk, tmp + q, tstride); break;
                default: flat_block(1, g, xrow + q, plane, wp, wk, tmp + q, tstride); break;
                }
            }
            for (int f = 0; f < nf; f++) {
                __m256 bv = _mm256_set1_ps(bias ? bias[kf + f] : 0.0f);
                float bs = bias ? bias[kf + f] : 0.0f;
                for (int64_t i = 0; i < nr; i++) {
                    const float* src = tmp + f * tstride + i * wp;
                    float* dst = y_img + ((kf + f) * g->oh + oh0 + i) * g->ow;
                    int64_t j = 0;
                    for (;; j += 8) {
                        /* the last vector of a row ends at its last pixel, overlapping the one
                         * before: it stores the same values again rather than a scalar tail */
                        if (j + 8 > g->ow) {
                            if (g->ow < 8) break;
                            j = g->ow - 8;
                        }
                        __m256 v = _mm256_add_ps(_mm256_loadu_ps(src + j), bv);
                        /* maxps returns its second operand when either is NaN: v second, so NaN propagates */
                        if (relu) v = _mm256_max_ps(_mm256_setzero_ps(), v);
                        _mm256_storeu_ps(dst + j, v);
                        if (j + 8 == g->ow) {
                            j = g->ow;
                            break;
                        }
                    }
                    for (; j < g->ow; j++) {
                        float v = src[j] + bs;
                        dst[j] = relu ? (v > 0.0f || v != v ? v : 0.0f) : v;
                    }
                }
            }
        }
    }
}
