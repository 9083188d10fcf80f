/* im2col / col2im written once, instantiated per ISA. The including file defines
 * HPC_IM2COL_SUFFIX and three row primitives tuned for its ISA:
 *   row_copy_s1(dst, src, n)      dst[j] = src[j]
 *   row_copy_s2(dst, src, n)      dst[j] = src[2 j]
 *   row_add_s1(dst, src, n)       dst[j] += src[j]
 * Everything else (padding, strides, dilation, tiling over output pixels) is shared. */
#include "conv/conv_internal.h"
#include <string.h>

#define HPC_IM2COL_CAT2(a, b) a##_##b
#define HPC_IM2COL_CAT(a, b) HPC_IM2COL_CAT2(a, b)
#define HPC_IM2COL_NAME(base) HPC_IM2COL_CAT(base, HPC_IM2COL_SUFFIX)

/* The j in [0, run) for which iw = iw0 + j * sw lies in [0, w): [*lo, *hi). */
static inline void valid_range(int64_t iw0, int64_t sw, int64_t w, int64_t run, int64_t* lo, int64_t* hi) {
    int64_t a = iw0 < 0 ? (-iw0 + sw - 1) / sw : 0;
    int64_t b = iw0 < w ? (w - iw0 + sw - 1) / sw : 0;
    if (a > run) a = run;
    if (b > run) b = run;
    if (b < a) b = a;
    *lo = a;
    *hi = b;
}

/* Copies one output row's run of pixels: zeros where the taps fall in the padding. */
static inline void im2col_run(const float* row, int64_t iw0, int64_t sw, int64_t lo, int64_t hi, int64_t run,
                              float* d) {
    for (int64_t j = 0; j < lo; j++) d[j] = 0.0f;
    if (sw == 1)
        row_copy_s1(d + lo, row + iw0 + lo, hi - lo);
    else if (sw == 2)
        row_copy_s2(d + lo, row + iw0 + 2 * lo, hi - lo);
    else
        for (int64_t j = lo; j < hi; j++) d[j] = row[iw0 + j * sw];
    for (int64_t j = hi; j < run; j++) d[j] = 0.0f;
}

void HPC_IM2COL_NAME(hpc_im2col)(const hpc_conv_geom* g, const float* x_img, int64_t ci, int64_t ri, int64_t p0,
                                 int64_t np, float* col) {
    const float* plane = x_img + ci * g->h * g->w;
    int64_t oh0 = p0 / g->ow, ow0 = p0 % g->ow;
    for (int64_t si = 0; si < g->s; si++) {
        float* dst = col + ((ci * g->r + ri) * g->s + si) * np;
        /* Whole output rows share one valid range: computed once, not per row (the divisions
         * cost more than copying a short row). */
        int64_t full_iw0 = -g->pw + si * g->dw, full_lo, full_hi;
        valid_range(full_iw0, g->sw, g->w, g->ow, &full_lo, &full_hi);
        int64_t oh = oh0, ow = ow0, p = 0;
        while (p < np) {
            int64_t run = g->ow - ow;
            if (run > np - p) run = np - p;
            int64_t ih = oh * g->sh - g->ph + ri * g->dh;
            if (ih < 0 || ih >= g->h) {
                memset(dst + p, 0, (size_t)run * sizeof(float));
            } else if (ow == 0 && run == g->ow) {
                im2col_run(plane + ih * g->w, full_iw0, g->sw, full_lo, full_hi, run, dst + p);
            } else {
                int64_t iw0 = ow * g->sw - g->pw + si * g->dw, lo, hi;
                valid_range(iw0, g->sw, g->w, run, &lo, &hi);
                im2col_run(plane + ih * g->w, iw0, g->sw, lo, hi, run, dst + p);
            }
            p += run;
            oh++;
            ow = 0;
        }
    }
}

void HPC_IM2COL_NAME(hpc_col2im)(const hpc_conv_geom* g, const float* col, int64_t ci, int64_t p0, int64_t np,
                                 float* dx_img) {
    float* plane = dx_img + ci * g->h * g->w;
    int64_t oh0 = p0 / g->ow, ow0 = p0 % g->ow;
    for (int64_t ri = 0; ri < g->r; ri++) {
        for (int64_t si = 0; si < g->s; si++) {
            const float* src = col + ((ci * g->r + ri) * g->s + si) * np;
            int64_t full_iw0 = -g->pw + si * g->dw, full_lo, full_hi;
            valid_range(full_iw0, g->sw, g->w, g->ow, &full_lo, &full_hi);
            int64_t oh = oh0, ow = ow0, p = 0;
            while (p < np) {
                int64_t run = g->ow - ow;
                if (run > np - p) run = np - p;
                int64_t ih = oh * g->sh - g->ph + ri * g->dh;
                if (ih >= 0 && ih < g->h) {
                    float* row = plane + ih * g->w;
                    int64_t iw0 = full_iw0, lo = full_lo, hi = full_hi;
                    if (!(ow == 0 && run == g->ow)) {
                        iw0 = ow * g->sw - g->pw + si * g->dw;
                        valid_range(iw0, g->sw, g->w, run, &lo, &hi);
                    }
                    const float* sp = src + p;
                    if (g->sw == 1)
                        row_add_s1(row + iw0 + lo, sp + lo, hi - lo);
                    else
                        for (int64_t j = lo; j < hi; j++) row[iw0 + j * g->sw] += sp[j];
                }
                p += run;
                oh++;
                ow = 0;
            }
        }
    }
}

const hpc_im2col_kernels HPC_IM2COL_NAME(hpc_im2col_kernels) = {HPC_IM2COL_NAME(hpc_im2col), HPC_IM2COL_NAME(hpc_col2im)};
