/* Direct convolution vectorised over output pixels, for shallow layers at stride 1 (a network's
 * first layer: C = 1 or 3, so c * r * s taps are few and the channel-vectorised kernel spends as
 * long transposing its outputs back to NCHW as computing them). Output rows are computed in place:
 * 8 consecutive pixels of a row are one unaligned load of the padded input per tap (tap (c, r, s)
 * is a constant offset), and a row's last vector ends at its last pixel, overlapping the one
 * before (those pixels are computed twice and stored twice, identically), so every store is a
 * whole vector straight into the NCHW row: no staging, no transposes. Per tap, the broadcast
 * weights of F filters meet V input vectors, F x V <= 12 accumulators. Any dilation; vertical and
 * horizontal stride 1. */
#include "conv/conv_internal.h"
#include <immintrin.h>
#include <string.h>

#define VMAX 4 /* pixel vectors per register block (a row segment of up to 32 pixels) */

/* Column offsets of a row's vectors: 0, 8, ... and, for the last, ow - 8 (ow >= 8). */
static inline int64_t vec_col(int64_t v, int64_t nvec, int64_t ow) { return v == nvec - 1 ? ow - 8 : v * 8; }


/* One tap of the 3-filter x 4-vector block in assembly (vectors at xs, xs + 8, xs + 16 and
 * xs + last_bytes / 4): 3 broadcasts and 4 loads for 12 FMAs,
 * with all 16 ymm registers in use (12 sums, 3 weights, 1 input vector). GCC, given the same in
 * intrinsics, either folds the input load into each of the 3 FMAs (15 loads per 12 FMAs: the tap
 * goes load-bound) or, kept from folding, spills a sum to the stack. */
static inline __attribute__((always_inline)) void tap_3x4(const float* wt, int64_t crs_bytes, const float* xs,
                                                          int64_t last_bytes, __m256* acc) {
    __asm__("vbroadcastss (%[w]), %%ymm12\n\t"
            "vbroadcastss (%[w],%[cb]), %%ymm13\n\t"
            "vbroadcastss (%[w],%[cb],2), %%ymm14\n\t"
            "vmovups (%[x]), %%ymm15\n\t"
            "vfmadd231ps %%ymm15, %%ymm12, %[a0]\n\t"
            "vfmadd231ps %%ymm15, %%ymm13, %[a4]\n\t"
            "vfmadd231ps %%ymm15, %%ymm14, %[a8]\n\t"
            "vmovups 32(%[x]), %%ymm15\n\t"
            "vfmadd231ps %%ymm15, %%ymm12, %[a1]\n\t"
            "vfmadd231ps %%ymm15, %%ymm13, %[a5]\n\t"
            "vfmadd231ps %%ymm15, %%ymm14, %[a9]\n\t"
            "vmovups 64(%[x]), %%ymm15\n\t"
            "vfmadd231ps %%ymm15, %%ymm12, %[a2]\n\t"
            "vfmadd231ps %%ymm15, %%ymm13, %[a6]\n\t"
            "vfmadd231ps %%ymm15, %%ymm14, %[a10]\n\t"
            "vmovups (%[x],%[o3]), %%ymm15\n\t"
            "vfmadd231ps %%ymm15, %%ymm12, %[a3]\n\t"
            "vfmadd231ps %%ymm15, %%ymm13, %[a7]\n\t"
            "vfmadd231ps %%ymm15, %%ymm14, %[a11]\n\t"
            : [a0] "+x"(acc[0]), [a1] "+x"(acc[1]), [a2] "+x"(acc[2]), [a3] "+x"(acc[3]), [a4] "+x"(acc[4]),
              [a5] "+x"(acc[5]), [a6] "+x"(acc[6]), [a7] "+x"(acc[7]), [a8] "+x"(acc[8]), [a9] "+x"(acc[9]),
              [a10] "+x"(acc[10]), [a11] "+x"(acc[11])
            : [w] "r"(wt), [cb] "r"(crs_bytes), [x] "r"(xs), [o3] "r"(last_bytes)
            : "xmm12", "xmm13", "xmm14", "xmm15");
}

/* Output row oh, the V vectors from vector v0, for F filters from k: acc, + bias, act, stored. */
static inline __attribute__((always_inline)) void row_block(const int F, const int V, const hpc_conv_geom* g,
                                                            const float* xp, int64_t hp, int64_t wp,
                                                            const float* w, const float* bias, int relu, int64_t k,
                                                            int64_t oh, int64_t v0, int64_t nvec, float* y_img) {
    __m256 acc[12];
    for (int j = 0; j < F * V; j++) acc[j] = _mm256_setzero_ps();
    /* the next row's outputs, fetched for writing while these FMAs run: the stores below would
     * otherwise each wait on a read-for-ownership */
    if (oh + 1 < g->oh)
        for (int f = 0; f < F; f++) {
            char* next = (char*)(y_img + ((k + f) * g->oh + oh + 1) * g->ow + v0 * 8);
            _m_prefetchw(next);
            _m_prefetchw(next + (V * 8 - 1) * sizeof(float));
            if (V > 2) _m_prefetchw(next + 64);
        }
    int64_t col[VMAX];
    for (int v = 0; v < V; v++) col[v] = vec_col(v0 + v, nvec, g->ow);
    const int64_t plane = hp * wp, rstep = g->dh * wp, dw = g->dw, crs = g->crs;
    const float* wt = w + k * crs;
    const float* xc = xp + oh * wp;
    for (int64_t c = 0; c < g->c; c++, xc += plane) {
        const float* row = xc;
        for (int64_t r = 0; r < g->r; r++, row += rstep) {
            const float* xs = row;
            for (int64_t s = 0; s < g->s; s++, xs += dw, wt++) {
                if (F == 3 && V == 4) {
                    tap_3x4(wt, crs * 4, xs + col[0], (col[3] - col[0]) * 4, acc);
                    continue;
                }
                __m256 wv[4];
                for (int f = 0; f < F; f++) wv[f] = _mm256_broadcast_ss(wt + f * crs);
                for (int v = 0; v < V; v++) {
                    __m256 xv = _mm256_loadu_ps(xs + col[v]);
                    /* one load per vector: GCC would otherwise fold it into each of the F FMAs,
                     * F + 1 loads where 1 will do, and the tap goes load-bound */
                    __asm__("" : "+x"(xv));
                    for (int f = 0; f < F; f++) acc[f * V + v] = _mm256_fmadd_ps(wv[f], xv, acc[f * V + v]);
                }
            }
        }
    }
    for (int f = 0; f < F; f++) {
        __m256 bv = _mm256_set1_ps(bias ? bias[k + f] : 0.0f);
        float* yr = y_img + ((k + f) * g->oh + oh) * g->ow;
        for (int v = 0; v < V; v++) {
            __m256 o = _mm256_add_ps(acc[f * V + v], bv);
            /* maxps returns its second operand when either is NaN: o second, so NaN propagates */
            if (relu) o = _mm256_max_ps(_mm256_setzero_ps(), o);
            _mm256_storeu_ps(yr + col[v], o);
        }
    }
}

int hpc_conv_flat_supported(const hpc_conv_geom* g) { return g->sh == 1 && g->sw == 1; }

#define FV_CASE(F, V) row_block(F, V, g, xp, hp, wp, w, bias, relu, k, oh, v0, nvec, y_img)
#define V_CASES(F)                                                                                                \
    switch (nv) {                                                                                                 \
    case 1: FV_CASE(F, 1); break;                                                                                 \
    case 2: FV_CASE(F, 2); break;                                                                                 \
    case 3: FV_CASE(F, 3); break;                                                                                 \
    default: FV_CASE(F, 4); break;                                                                                \
    }
#define V_CASES_SHORT(F)                                                                                          \
    switch (nv) {                                                                                                 \
    case 1: FV_CASE(F, 1); break;                                                                                 \
    default: FV_CASE(F, 2); break;                                                                                \
    }

void hpc_conv_flat_image_avx2(const hpc_conv_geom* g, const float* xp, const float* w, const float* bias, int relu,
                              int64_t k0, int64_t nk, float* y_img) {
    int64_t hp, wp;
    hpc_conv_oc8_padded_dims(g, &hp, &wp);
    const int64_t nvec = (g->ow + 7) / 8;
    /* Filters per block: 3 with 3 or 4 vectors (3 weights + a vector + 12 sums = 16 ymm), 4 with
     * fewer. */
    for (int64_t oh = 0; oh < g->oh; oh++)
        for (int64_t v0 = 0; v0 < nvec; v0 += VMAX) {
            int nv = (int)(nvec - v0 < VMAX ? nvec - v0 : VMAX);
            int fmax = nv >= 3 ? 3 : 4;
            for (int64_t k = k0; k < k0 + nk;) {
                int f = (int)(k0 + nk - k < fmax ? k0 + nk - k : fmax);
                switch (f) {
                case 4: V_CASES_SHORT(4) break; /* only when nv <= 2 */
                case 3: V_CASES(3) break;
                case 2: V_CASES(2) break;
                default: V_CASES(1) break;
                }
                k += f;
            }
        }
}
#undef FV_CASE
#undef V_CASES
#undef V_CASES_SHORT
