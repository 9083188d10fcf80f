/* Pooling internals: validated geometry, the per-output reference computations (shared by every
 * ISA path for the border outputs), and the per-ISA plane kernels. */
#ifndef HPC_POOL_INTERNAL_H
#define HPC_POOL_INTERNAL_H
#include "core/internal.h"

typedef struct hpc_pool_geom {
    int64_t n, c, h, w;
    int64_t wh, ww; /* window */
    int64_t sh, sw, ph, pw;
    int64_t oh, ow;
} hpc_pool_geom;

/* Rows [*lo, *hi) of the input the window of output row o covers (padding excluded). */
static inline void hpc_pool_span(int64_t o, int64_t stride, int64_t pad, int64_t win, int64_t size, int64_t* lo,
                                 int64_t* hi) {
    int64_t a = o * stride - pad, b = a + win;
    *lo = a < 0 ? 0 : a;
    *hi = b > size ? size : b;
}

/* The rule every path follows: a candidate replaces the best when larger, or when it is the first
 * NaN (so NaN propagates and the first one is reported). */
static inline int hpc_pool_takes(float v, float best) { return v > best || (v != v && best == best); }

/* Max and its plane index over the window of output (oh, ow), row-major order. */
static inline void hpc_maxpool_one(const hpc_pool_geom* g, const float* x, int64_t oh, int64_t ow, float* y,
                                   int32_t* idx) {
    int64_t h0, h1, w0, w1;
    hpc_pool_span(oh, g->sh, g->ph, g->wh, g->h, &h0, &h1);
    hpc_pool_span(ow, g->sw, g->pw, g->ww, g->w, &w0, &w1);
    float best = x[h0 * g->w + w0];
    int64_t at = h0 * g->w + w0;
    for (int64_t ih = h0; ih < h1; ih++)
        for (int64_t iw = w0; iw < w1; iw++) {
            float v = x[ih * g->w + iw];
            if (hpc_pool_takes(v, best)) best = v, at = ih * g->w + iw;
        }
    *y = best;
    if (idx) *idx = (int32_t)at;
}

/* The divisor of output (oh, ow): the window area, or the input pixels it covers. */
static inline float hpc_avgpool_count(const hpc_pool_geom* g, int include_pad, int64_t oh, int64_t ow) {
    if (include_pad) return (float)(g->wh * g->ww);
    int64_t h0, h1, w0, w1;
    hpc_pool_span(oh, g->sh, g->ph, g->wh, g->h, &h0, &h1);
    hpc_pool_span(ow, g->sw, g->pw, g->ww, g->w, &w0, &w1);
    return (float)((h1 - h0) * (w1 - w0));
}

/* Sum over the window in row-major order, divided by the count: every path sums in this order. */
static inline float hpc_avgpool_one(const hpc_pool_geom* g, int include_pad, const float* x, int64_t oh, int64_t ow) {
    int64_t h0, h1, w0, w1;
    hpc_pool_span(oh, g->sh, g->ph, g->wh, g->h, &h0, &h1);
    hpc_pool_span(ow, g->sw, g->pw, g->ww, g->w, &w0, &w1);
    float sum = 0.0f;
    for (int64_t ih = h0; ih < h1; ih++)
        for (int64_t iw = w0; iw < w1; iw++) sum += x[ih * g->w + iw];
    return sum / hpc_avgpool_count(g, include_pad, oh, ow);
}

/* One input plane -> one output plane. argmax may be null. */
typedef void (*hpc_maxpool_plane_fn)(const hpc_pool_geom* g, const float* x, float* y, int32_t* argmax);
typedef void (*hpc_avgpool_plane_fn)(const hpc_pool_geom* g, int include_pad, const float* x, float* y);

void hpc_maxpool_plane_scalar(const hpc_pool_geom* g, const float* x, float* y, int32_t* argmax);
void hpc_avgpool_plane_scalar(const hpc_pool_geom* g, int include_pad, const float* x, float* y);
void hpc_maxpool_plane_avx2(const hpc_pool_geom* g, const float* x, float* y, int32_t* argmax);
void hpc_avgpool_plane_avx2(const hpc_pool_geom* g, int include_pad, const float* x, float* y);
void hpc_maxpool_plane_avx512(const hpc_pool_geom* g, const float* x, float* y, int32_t* argmax);
void hpc_avgpool_plane_avx512(const hpc_pool_geom* g, int include_pad, const float* x, float* y);

/* The family's slot in the kernel table (core/kernel_table.h). */
typedef struct hpc_pool_kernels {
    hpc_maxpool_plane_fn maxpool_plane;
    hpc_avgpool_plane_fn avgpool_plane;
} hpc_pool_kernels;
extern const hpc_pool_kernels hpc_pool_kernels_scalar, hpc_pool_kernels_avx2, hpc_pool_kernels_avx512;

/* 2x2 window, stride 2, no padding (hpc_maxpool_is_2x2): a slot of its own, since the AVX2 kernel
 * (pool_2x2_avx2.c) serves where a path has none; a null slot means the general plane kernel. */
static inline int hpc_maxpool_is_2x2(const hpc_pool_geom* g) {
    return g->wh == 2 && g->ww == 2 && g->sh == 2 && g->sw == 2 && g->ph == 0 && g->pw == 0;
}
typedef struct hpc_maxpool_2x2_kernels {
    hpc_maxpool_plane_fn plane;
} hpc_maxpool_2x2_kernels;
extern const hpc_maxpool_2x2_kernels hpc_maxpool_2x2_kernels_avx2;

/* First output column of a run of lanes consecutive outputs whose windows lie inside the row
 * (reading up to extra floats past the last window), and the end of such columns: [*lo, *hi). */
static inline void hpc_pool_interior(const hpc_pool_geom* g, int64_t extra, int64_t* lo, int64_t* hi) {
    int64_t a = (g->pw + g->sw - 1) / g->sw; /* ow * sw - pw >= 0 */
    /* ow * sw - pw + ww - 1 + extra <= w - 1 */
    int64_t lim = g->w - 1 - extra - g->ww + 1 + g->pw;
    int64_t b = lim < 0 ? 0 : lim / g->sw + 1;
    if (b > g->ow) b = g->ow;
    if (a > b) a = b;
    *lo = a;
    *hi = b;
}

#endif
