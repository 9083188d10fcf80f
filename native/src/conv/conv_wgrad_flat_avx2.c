/* Weight gradient vectorised over output pixels, for the layers the flat forward kernel takes
 * (shallow, stride 1: a network's first layer). dw[k][c][r][s] is the dot product of dy[k] with the
 * input shifted by tap (r, s); on the flat grid of the padded image (output pixel (oh, ow) at
 * oh * wp + ow, see conv_flat_avx2.c) every tap is one constant shift, so 8 consecutive pixels are
 * one aligned load of dy and one unaligned load of the input. dy is staged onto that grid with
 * zeros in the wp - ow columns past each row's end, which therefore add nothing. Per pixel vector,
 * one input load per tap feeds an FMA per filter of the block: no transposes and no broadcasts,
 * where the channel-vectorised kernel needs a broadcast per FMA on such layers.
 *
 * The 8 lanes of each sum run over the images in order (kept in a buffer between them) and are
 * added in a fixed tree at the end: results never depend on the thread count. */
#include "conv/conv_internal.h"
#include <immintrin.h>
#include <string.h>

#define MAX_ACC 10 /* accumulators + a dy vector per filter + one input vector stay within 16 ymm */

int hpc_conv_flat_wgrad_supported_avx2(const hpc_conv_geom* g) { return hpc_conv_flat_supported(g) && g->s <= MAX_ACC; }

int hpc_conv_flat_wgrad_filters_avx2(const hpc_conv_geom* g) {
    int64_t f = MAX_ACC / g->s;
    return f > 4 ? 4 : (int)f;
}

static void stage_dy(const hpc_conv_geom* g, int64_t wp, int64_t nk, const float* dy_img, float* dst,
                            double* bias_sums) {
    const int64_t stride = hpc_conv_flat_dy_stride(g, wp), ow = g->ow;
    const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (int64_t k = 0; k < nk; k++) {
        float* d = dst + k * stride;
        const float* s = dy_img + k * g->ohw;
        __m256d lo = _mm256_setzero_pd(), hi = lo;
        /* Rows of wp floats, ow from dy and zeros after, written as whole vectors (masked loads
         * give the zeros): the last vector of a row runs into the next row, written after it. */
        for (int64_t oh = 0; oh < g->oh; oh++, s += ow)
            for (int64_t j = 0; j < wp; j += 8) {
                __m256 v = j + 8 <= ow ? _mm256_loadu_ps(s + j)
                                       : _mm256_maskload_ps(s + j, _mm256_cmpgt_epi32(_mm256_set1_epi32(
                                                                       (int)(ow - j > 0 ? ow - j : 0)), iota));
                _mm256_storeu_ps(d + oh * wp + j, v);
                if (bias_sums) {
                    lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
                    hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
                }
            }
        for (int64_t q = g->oh * wp; q < stride + 8; q++) d[q] = 0.0f;
        if (bias_sums) {
            _mm256_storeu_pd(bias_sums + k * 8, _mm256_add_pd(_mm256_loadu_pd(bias_sums + k * 8), lo));
            _mm256_storeu_pd(bias_sums + k * 8 + 4, _mm256_add_pd(_mm256_loadu_pd(bias_sums + k * 8 + 4), hi));
        }
    }
}

/* One kernel row (S taps, offsets s * dw from x) for NF filters over nv pixel vectors of one
 * image, continuing the lane sums in sums[f * fstride + s * 8] (or starting them when first). */
static inline __attribute__((always_inline)) void row_pass(const int NF, const int S, const int DW, const float* x,
                                                           int64_t dwr,
                                                           const float* dyf, int64_t dstride, int64_t nv,
                                                           float* sums, int64_t fstride, int first) {
    __m256 acc[MAX_ACC];
    const int64_t dw = DW ? DW : dwr; /* a constant 1 turns every tap into a fixed displacement */
    for (int f = 0; f < NF; f++)
        for (int s = 0; s < S; s++)
            acc[f * S + s] = first ? _mm256_setzero_ps() : _mm256_loadu_ps(sums + f * fstride + s * 8);
    for (int64_t v = 0; v < nv; v++, x += 8, dyf += 8) {
        __m256 d[4];
        for (int f = 0; f < NF; f++) d[f] = _mm256_load_ps(dyf + f * dstride);
        for (int s = 0; s < S; s++) {
            __m256 xv = _mm256_loadu_ps(x + s * dw);
            /* one load for NF FMAs: GCC would fold a reload into each, and two 256-bit loads a
             * cycle (Zen 3) then bound the loop */
            if (NF > 1) __asm__("" : "+x"(xv));
            for (int f = 0; f < NF; f++) acc[f * S + s] = _mm256_fmadd_ps(d[f], xv, acc[f * S + s]);
        }
    }
    for (int f = 0; f < NF; f++)
        for (int s = 0; s < S; s++) _mm256_storeu_ps(sums + f * fstride + s * 8, acc[f * S + s]);
}

#define PASS(NF, S)                                                                                               \
    do {                                                                                                          \
        if (g->dw == 1) row_pass(NF, S, 1, x, 1, dyf, dstride, nv, sm, fstride, first);                           \
        else row_pass(NF, S, 0, x, g->dw, dyf, dstride, nv, sm, fstride, first);                                  \
    } while (0)
#define NF_CASES(S)                                                                                               \
    switch (nf) {                                                                                                 \
    case 1: PASS(1, S); break;                                                                                    \
    case 2: if (2 * S <= MAX_ACC) PASS((2 * S <= MAX_ACC) ? 2 : 1, S); break;                                     \
    case 3: if (3 * S <= MAX_ACC) PASS((3 * S <= MAX_ACC) ? 3 : 1, S); break;                                     \
    case 4: if (4 * S <= MAX_ACC) PASS((4 * S <= MAX_ACC) ? 4 : 1, S); break;                                     \
    }

void hpc_conv_flat_wgrad_task_avx2(const hpc_conv_geom* g, const float* xpad, int64_t hp, int64_t wp,
                                   const float* dy, int64_t k0, int64_t k1, int64_t c, float* stage, float* sums,
                                   double* bias_sums, float* dw, float* db) {
    const int64_t rs = g->r * g->s, fstride = g->c * rs * 8, dstride = hpc_conv_flat_dy_stride(g, wp);
    const int64_t nv = ((g->oh - 1) * wp + g->ow + 7) / 8, per = hpc_conv_flat_wgrad_filters_avx2(g);
    double* bsum = db ? bias_sums + k0 * 8 : NULL;
    if (bsum)
        for (int64_t i = 0; i < (k1 - k0) * 8; i++) bsum[i] = 0.0;
    for (int64_t b = 0; b < g->n; b++) {
        const int first = b == 0;
        /* this image's dy for the task's filters, onto the flat grid: read once, then from L1/L2,
         * the bias gradient summed on the way */
        stage_dy(g, wp, k1 - k0, dy + (b * g->k + k0) * g->ohw, stage, bsum);
    for (int64_t kf = k0; kf < k1; kf += per) {
            int nf = (int)(k1 - kf < per ? k1 - kf : per);
            const float* dyf = stage + (kf - k0) * dstride;
            for (int64_t r = 0; r < g->r; r++) {
                const float* x = xpad + (b * g->c + c) * hp * wp + r * g->dh * wp;
                float* sm = sums + ((kf * g->c + c) * rs + r * g->s) * 8;
                switch ((int)g->s) {
                case 1: NF_CASES(1) break;
                case 2: NF_CASES(2) break;
                case 3: NF_CASES(3) break;
                case 4: NF_CASES(4) break;
                case 5: NF_CASES(5) break;
                case 6: NF_CASES(6) break;
                case 7: NF_CASES(7) break;
                case 8: NF_CASES(8) break;
                case 9: NF_CASES(9) break;
                case 10: NF_CASES(10) break;
                }
            }
        }
    }
    for (int64_t k = 0; bsum && k < k1 - k0; k++) {
        const double* l = bsum + k * 8;
        db[k0 + k] = (float)(((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7])));
    }
    for (int64_t k = k0; k < k1; k++)
        for (int64_t t = 0; t < rs; t++) {
            const float* l = sums + ((k * g->c + c) * rs + t) * 8;
            dw[(k * g->c + c) * rs + t] = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
        }
}
#undef PASS
#undef NF_CASES
