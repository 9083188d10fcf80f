/* Direct convolution vectorised over output pixels, for shallow layers at stride 1 (a network's
 * first layer: C = 1 or 3, so c * r * s taps are few and the channel-vectorised kernel spends as
 * long transposing its outputs back to NCHW as computing them).
 *
 * The output plane is one flat run of oh * ow pixels, cut into vectors of 8 regardless of rows, so
 * no lane is wasted where ow is not a multiple of 8 (LeNet's 28-pixel rows would leave 4 of every
 * 32 lanes idle) and every store is a whole vector in place in the NCHW plane (the last vector
 * ends at the plane's last pixel, overlapping the one before: those pixels are computed twice and
 * stored twice, identically). That makes a tap's 8 inputs 8 consecutive floats only if the row
 * wrap-around reads zeros, so each image is first staged once per kernel column s: plane (c, s)
 * holds x[c] shifted left by s * dw - pw with the columns that fall outside the image zeroed, and
 * ph zero rows above and below, each row ow wide. Tap (c, r, s) of the pixel at flat index p is
 * then plane (c, s) at p + r * dh * ow for every p: one unaligned load per vector of 8 pixels.
 * Per tap, the broadcast weights of F filters meet V input vectors, F x V <= 12 accumulators; each
 * group of F filters runs through the whole plane, so its stores are F sequential streams, which
 * a caller writing more than the caches hold can make non-temporal (stream). */
#include "conv/conv_internal.h"
#include <immintrin.h>
#include "simd/floats_avx2.h"

#define VMAX 4 /* pixel vectors per register block */

void hpc_conv_flat_stage_image_avx2(const hpc_conv_geom* g, const float* x_img, float* st) {
    const int64_t rows = hpc_conv_flat_staged_rows(g), ow = g->ow, plane = rows * ow, S = g->s;
    float* padded = st + g->c * S * plane; /* input row ih with pw zeros each side: padded[j] = x[ih][j - pw] */
    hpc_zero_floats(padded, g->w + 2 * g->pw + 8);
    for (int64_t c = 0; c < g->c; c++) {
        float* cs = st + c * S * plane; /* plane (c, s) at cs + s * plane; staged row t = input row t - ph */
        for (int64_t t = 0; t < rows; t++) {
            const int64_t ih = t - g->ph;
            if (ih < 0 || ih >= g->h) {
                for (int64_t s = 0; s < S; s++) hpc_zero_floats(cs + s * plane + t * ow, ow);
                continue;
            }
            hpc_copy_floats(padded + g->pw, x_img + (c * g->h + ih) * g->w, g->w);
            for (int64_t s = 0; s < S; s++) hpc_copy_floats(cs + s * plane + t * ow, padded + s * g->dw, ow);
        }
    }
}

/* Offset of vector v of nvec in a plane of ohw >= 8 pixels: 0, 8, ... and, for the last, ohw - 8. */
static inline int64_t vec_at(int64_t v, int64_t nvec, int64_t ohw) { return v == nvec - 1 ? ohw - 8 : v * 8; }

/* One tap of the 3-filter x 4-vector block in assembly (vectors at xs, xs + 8, xs + 16 and
 * xs + last_bytes / 4): 3 broadcasts and 4 loads for 12 FMAs, with all 16 ymm registers in use
 * (12 sums, 3 weights, 1 input vector). GCC, given the same in intrinsics, either folds the input
 * load into each of the 3 FMAs (15 loads per 12 FMAs: the tap goes load-bound) or, kept from
 * folding, spills a sum to the stack. */
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

/* The V vectors from vector v0 of the output planes of F filters from k: acc, + bias, act, stored. */
static inline __attribute__((always_inline)) void block(const int F, const int V, const hpc_conv_geom* g,
                                                        const float* st, const float* w, const float* bias, int relu,
                                                        int64_t k, int64_t v0, int64_t nvec, float* y_img, int stream) {
    const int64_t ohw = g->ohw;
    __m256 acc[12];
    for (int j = 0; j < F * V; j++) acc[j] = _mm256_setzero_ps();
    /* the next block's outputs, fetched for writing while these FMAs run: the stores below would
     * otherwise each wait on a read-for-ownership */
    if (!stream && v0 + V < nvec)
        for (int f = 0; f < F; f++) {
            char* next = (char*)(y_img + (k + f) * ohw + (v0 + V) * 8);
            _m_prefetchw(next);
            _m_prefetchw(next + (V * 8 - 1) * sizeof(float));
            if (V > 2) _m_prefetchw(next + 64);
        }
    int64_t at[VMAX];
    for (int v = 0; v < V; v++) at[v] = vec_at(v0 + v, nvec, ohw);
    const int64_t plane = hpc_conv_flat_staged_rows(g) * g->ow, rstep = g->dh * g->ow, crs = g->crs;
    const float* wt = w + k * crs;
    const float* xc = st;
    for (int64_t c = 0; c < g->c; c++, xc += g->s * plane) {
        const float* row = xc;
        for (int64_t r = 0; r < g->r; r++, row += rstep) {
            const float* xs = row;
            for (int64_t s = 0; s < g->s; s++, xs += plane, wt++) {
                if (F == 3 && V == 4) {
                    tap_3x4(wt, crs * 4, xs + at[0], (at[3] - at[0]) * 4, acc);
                    continue;
                }
                __m256 wv[4];
                for (int f = 0; f < F; f++) wv[f] = _mm256_broadcast_ss(wt + f * crs);
                for (int v = 0; v < V; v++) {
                    __m256 xv = _mm256_loadu_ps(xs + at[v]);
                    /* one load per vector: GCC would otherwise fold it into each of the F FMAs */
                    __asm__("" : "+x"(xv));
                    for (int f = 0; f < F; f++) acc[f * V + v] = _mm256_fmadd_ps(wv[f], xv, acc[f * V + v]);
                }
            }
        }
    }
    for (int f = 0; f < F; f++) {
        __m256 bv = _mm256_set1_ps(bias ? bias[k + f] : 0.0f);
        float* yp = y_img + (k + f) * ohw;
        for (int v = 0; v < V; v++) {
            __m256 o = _mm256_add_ps(acc[f * V + v], bv);
            /* maxps returns its second operand when either is NaN: o second, so NaN propagates */
            if (relu) o = _mm256_max_ps(_mm256_setzero_ps(), o);
            if (stream)
                _mm256_stream_ps(yp + at[v], o);
            else
                _mm256_storeu_ps(yp + at[v], o);
        }
    }
}

#define FV_CASE(F, V) block(F, V, g, st, w, bias, relu, k, v0, nvec, y_img, stream)
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

void hpc_conv_flat_image_avx2(const hpc_conv_geom* g, const float* st, const float* w, const float* bias, int relu,
                              int64_t k0, int64_t nk, float* y_img, int stream) {
    const int64_t nvec = (g->ohw + 7) / 8;
    /* streaming stores need whole, aligned vectors: every plane a multiple of 8 floats */
    stream = stream && g->ohw % 8 == 0 && ((uintptr_t)y_img & 31) == 0;
    /* Filters per block: 3 when blocks can have 3 or 4 vectors (3 weights + a vector + 12 sums = 16
     * ymm), 4 when the plane has at most 2 */
    const int fmax = nvec >= 3 ? 3 : 4;
    for (int64_t k = k0; k < k0 + nk;) {
        int64_t left = k0 + nk - k;
        /* a lone last filter has V chains: too few to hide the FMA latency; 2 + 2 beats 3 + 1 */
        int f = (int)(left < fmax ? left : left == fmax + 1 && fmax == 3 ? 2 : fmax);
        for (int64_t v0 = 0; v0 < nvec; v0 += VMAX) {
            int nv = (int)(nvec - v0 < VMAX ? nvec - v0 : VMAX);
            switch (f) {
            case 4: V_CASES_SHORT(4) break; /* only when nvec <= 2 */
            case 3: V_CASES(3) break;
            case 2: V_CASES(2) break;
            default: V_CASES(1) break;
            }
        }
        k += f;
    }
    if (stream) _mm_sfence();
}
#undef FV_CASE
#undef V_CASES
#undef V_CASES_SHORT
