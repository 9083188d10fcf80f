/* Pooling planes vectorised over LANES consecutive output columns, written once for AVX2 and
 * AVX-512. The including file defines HPC_POOL_SUFFIX, LANES and the vector primitives below.
 * Columns whose windows touch the padding, and the tails, use the scalar per-output code, so
 * every path returns exactly what the scalar one does (same comparison rule, same summation order).
 *   VF / VI / VM          float vector, int32 vector, comparison mask
 *   V_LOAD_S1(p)          p[0 .. LANES)
 *   V_LOAD_S2(p)          p[0], p[2], ... p[2 (LANES - 1)] (reads one float past the last)
 *   V_GATHER(p, offs)     p[offs[l]]
 *   V_TAKE(v, best)       lanes where hpc_pool_takes(v, best)
 *   V_BLEND(m, a, b), VI_BLEND(m, a, b)   m ? b : a
 *   VI_LANES(step)        {0, step, 2 step, ...}; VI_SET1, VI_ADD, V_SET1, V_ADD, V_DIV
 *   V_STORE(p, v), VI_STORE(p, v)                                                          */
#include "pool/pool_internal.h"

#define HPC_POOL_CAT2(a, b) a##_##b
#define HPC_POOL_CAT(a, b) HPC_POOL_CAT2(a, b)
#define HPC_POOL_NAME(base) HPC_POOL_CAT(base, HPC_POOL_SUFFIX)

static inline VF load_lanes(const float* row, int64_t base, int64_t sw, VI offs) {
    if (sw == 1) return V_LOAD_S1(row + base);
    if (sw == 2) return V_LOAD_S2(row + base);
    return V_GATHER(row + base, offs);
}

/* Outputs [ow, ow + LANES) of one output row, all windows inside the row. */
static inline void max_lanes(const hpc_pool_geom* g, const float* x, int64_t h0, int64_t h1, int64_t ow, VI offs,
                             float* yr, int32_t* ar) {
    int64_t base0 = ow * g->sw - g->pw;
    VF best = V_SET1(0.0f); /* replaced by the first window element */
    VI idx = VI_SET1(0);
    int first = 1;
    for (int64_t ih = h0; ih < h1; ih++) {
        const float* row = x + ih * g->w;
        for (int64_t s = 0; s < g->ww; s++) {
            VF v = load_lanes(row, base0 + s, g->sw, offs);
            VI iv = VI_ADD(VI_SET1((int32_t)(ih * g->w + base0 + s)), offs);
            if (first) {
                best = v, idx = iv, first = 0;
            } else {
                VM m = V_TAKE(v, best);
                best = V_BLEND(m, best, v);
                idx = VI_BLEND(m, idx, iv);
            }
        }
    }
    V_STORE(yr + ow, best);
    if (ar) VI_STORE(ar + ow, idx);
}

void HPC_POOL_NAME(hpc_maxpool_plane)(const hpc_pool_geom* g, const float* x, float* y, int32_t* argmax) {
    int64_t lo, hi;
    hpc_pool_interior(g, g->sw == 2 ? 1 : 0, &lo, &hi);
    const VI offs = VI_LANES((int32_t)g->sw);
    for (int64_t oh = 0; oh < g->oh; oh++) {
        int64_t h0, h1, ow = 0;
        hpc_pool_span(oh, g->sh, g->ph, g->wh, g->h, &h0, &h1);
        float* yr = y + oh * g->ow;
        int32_t* ar = argmax ? argmax + oh * g->ow : NULL;
        for (; ow < lo; ow++) hpc_maxpool_one(g, x, oh, ow, yr + ow, ar ? ar + ow : NULL);
        for (; ow + LANES <= hi; ow += LANES) max_lanes(g, x, h0, h1, ow, offs, yr, ar);
        /* The interior's ragged end: one more vector overlapping the last, rather than a scalar
         * output at a time (LeNet's 28 -> 14 pool: 5 of 14 columns were scalar, ~2/3 of its time).
         * Overlapped outputs are recomputed identically. */
        if (ow < hi && hi - lo >= LANES) {
            max_lanes(g, x, h0, h1, hi - LANES, offs, yr, ar);
            ow = hi;
        }
        for (; ow < g->ow; ow++) hpc_maxpool_one(g, x, oh, ow, yr + ow, ar ? ar + ow : NULL);
    }
}

void HPC_POOL_NAME(hpc_avgpool_plane)(const hpc_pool_geom* g, int include_pad, const float* x, float* y) {
    int64_t lo, hi;
    hpc_pool_interior(g, g->sw == 2 ? 1 : 0, &lo, &hi);
    const VI offs = VI_LANES((int32_t)g->sw);
    for (int64_t oh = 0; oh < g->oh; oh++) {
        int64_t h0, h1, ow = 0;
        hpc_pool_span(oh, g->sh, g->ph, g->wh, g->h, &h0, &h1);
        float* yr = y + oh * g->ow;
        for (; ow < lo; ow++) yr[ow] = hpc_avgpool_one(g, include_pad, x, oh, ow);
        /* Interior columns cover ww input columns each, so the divisor is the same for all lanes. */
        const VF count = V_SET1(include_pad ? (float)(g->wh * g->ww) : (float)((h1 - h0) * g->ww));
        for (; ow + LANES <= hi; ow += LANES) {
            int64_t base0 = ow * g->sw - g->pw;
            VF sum = V_SET1(0.0f);
            for (int64_t ih = h0; ih < h1; ih++) {
                const float* row = x + ih * g->w;
                for (int64_t s = 0; s < g->ww; s++) sum = V_ADD(sum, load_lanes(row, base0 + s, g->sw, offs));
            }
            V_STORE(yr + ow, V_DIV(sum, count));
        }
        for (; ow < g->ow; ow++) yr[ow] = hpc_avgpool_one(g, include_pad, x, oh, ow);
    }
}

const hpc_pool_kernels HPC_POOL_NAME(hpc_pool_kernels) = {HPC_POOL_NAME(hpc_maxpool_plane), HPC_POOL_NAME(hpc_avgpool_plane)};
