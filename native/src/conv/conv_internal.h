/* Convolution internals: the validated geometry and the per-ISA im2col / col2im kernels. */
#ifndef HPC_CONV_INTERNAL_H
#define HPC_CONV_INTERNAL_H
#include "core/internal.h"

/* A validated hpc_conv2d_desc plus the derived sizes every kernel needs. */
typedef struct hpc_conv_geom {
    int64_t n, c, h, w, k, r, s;
    int64_t sh, sw, ph, pw, dh, dw;
    int64_t oh, ow;
    int64_t ohw; /* oh * ow: columns of one image's im2col matrix */
    int64_t crs; /* c * r * s: rows of the im2col matrix, the GEMM depth */
} hpc_conv_geom;

/* Writes rows [(c * r + ri) * s, ... + s) for ci in [ci0, ci1) x ri in [ri0, ri1) -- in practice
 * one (channel, kernel row) pair per call -- of the im2col matrix restricted to output pixels
 * [p0, p0 + np): col[row * np + j] = x_img[ci][ih][iw] or 0 in the padding. */
typedef void (*hpc_im2col_fn)(const hpc_conv_geom* g, const float* x_img, int64_t ci, int64_t ri, int64_t p0,
                              int64_t np, float* col);
/* Adds the columns [p0, p0 + np) of the im2col-shaped matrix col into channel ci of dx_img, in the
 * fixed order (r, s, pixel) so results never depend on threads. */
typedef void (*hpc_col2im_fn)(const hpc_conv_geom* g, const float* col, int64_t ci, int64_t p0, int64_t np,
                              float* dx_img);

typedef struct hpc_conv_kernels {
    hpc_im2col_fn im2col;
    hpc_col2im_fn col2im;
} hpc_conv_kernels;

void hpc_im2col_scalar(const hpc_conv_geom* g, const float* x_img, int64_t ci, int64_t ri, int64_t p0, int64_t np,
                       float* col);
void hpc_col2im_scalar(const hpc_conv_geom* g, const float* col, int64_t ci, int64_t p0, int64_t np, float* dx_img);
void hpc_im2col_avx2(const hpc_conv_geom* g, const float* x_img, int64_t ci, int64_t ri, int64_t p0, int64_t np,
                     float* col);
void hpc_col2im_avx2(const hpc_conv_geom* g, const float* col, int64_t ci, int64_t p0, int64_t np, float* dx_img);
void hpc_im2col_avx512(const hpc_conv_geom* g, const float* x_img, int64_t ci, int64_t ri, int64_t p0, int64_t np,
                       float* col);
void hpc_col2im_avx512(const hpc_conv_geom* g, const float* col, int64_t ci, int64_t p0, int64_t np, float* dx_img);

/* Direct convolution of one image for small c * r * s (<= 75), stride 1, dilation 1, s <= 8:
 * y = act(conv + bias) with act identity or ReLU (relu = 1). AVX2 + FMA (also run on AVX-512). */
void hpc_conv_direct_image_avx2(const hpc_conv_geom* g, const float* x_img, const float* w, const float* bias,
                                int relu, float* y_img);

/* The direct kernels' vector of output channels (filters), and how many such blocks k filters
 * make: the last one zero-padded. */
#define HPC_CONV_OC 8
static inline int64_t hpc_conv_oc_blocks(int64_t k) { return (k + HPC_CONV_OC - 1) / HPC_CONV_OC; }
/* Filters of block kb that exist. */
static inline int64_t hpc_conv_oc_valid(int64_t k, int64_t kb) {
    return k - kb * HPC_CONV_OC < HPC_CONV_OC ? k - kb * HPC_CONV_OC : HPC_CONV_OC;
}

/* Direct convolution vectorised over 8 output channels (conv_direct_oc8_avx2.c), any stride,
 * padding and dilation. Weights are first reordered by hpc_conv_oc8_pack_weights into
 * ceil(k / 8) * c * r * s * 8 floats and each image padded by hpc_conv_oc8_pad_image; one call then
 * computes output channels kb*8 .. (kb + nkb)*8 of one image: y = act(conv + bias), act identity or ReLU
 * (relu = 1). AVX2 + FMA (also run on AVX-512). */
void hpc_conv_oc8_pack_weights(const hpc_conv_geom* g, const float* w, float* wb);
void hpc_conv_oc8_block_avx2(const hpc_conv_geom* g, const float* xp, const float* wb, const float* bias, int relu,
                             int64_t kb, int nkb, int blocked, float* y_img);
/* blocked = 1 (c a multiple of 8, stride 1: hpc_conv_oc8_blocked_supported): the image staged by
 * hpc_conv_oc8_pad_image_blocked (c / 8 x hp x wp x 8) and the weights packed by
 * hpc_conv_oc8_pack_weights_blocked (k / 8 x c / 8 x r x s x 8 x 8; flipped for backward-data). */
int hpc_conv_oc8_blocked_supported(const hpc_conv_geom* g);
void hpc_conv_oc8_pad_image_blocked(const hpc_conv_geom* g, const float* x_img, float* xpb, int64_t hp, int64_t wp);
void hpc_conv_oc8_pack_weights_blocked(const hpc_conv_geom* g, const float* w, int flipped, float* wb);
/* Filter blocks one call should take (nkb above): 2 for deep layers (one broadcast then feeds two
 * FMAs), 1 for shallow ones, where the 8-pixel transposed stores matter more. */
int hpc_conv_oc8_blocks_per_task(const hpc_conv_geom* g);
/* For backward-data at stride 1: dx is the convolution of dy with the flipped, transposed kernel;
 * packs w (k x c x r x s, geometry g of the forward layer) for that convolution. */
void hpc_conv_oc8_pack_weights_flipped(const hpc_conv_geom* g, const float* w, float* wb);
void hpc_conv_oc8_image_avx2(const hpc_conv_geom* g, const float* x_img, const float* wb, const float* bias, int relu,
                             float* xp, float* y_img);

/* Direct convolution vectorised over output pixels (conv_flat_avx2.c), for stride 1 (the geometry
 * hpc_conv_flat_supported checks, shared with the flat weight gradient) and planes of at least 8
 * pixels: hpc_conv_flat_stage_image stages one image into st (hpc_conv_flat_stage_floats floats:
 * the image once per kernel column, shifted, its padding zeroed), from which
 * hpc_conv_flat_image_avx2 computes filters k0 .. k0 + nk of that image, w in its own
 * k x c x r x s layout: y = act(conv + bias), act identity or ReLU. stream asks for non-temporal
 * stores (taken when y_img is 32-byte aligned and oh * ow a multiple of 8). */
int hpc_conv_flat_supported(const hpc_conv_geom* g);
int64_t hpc_conv_flat_stage_floats(const hpc_conv_geom* g);
void hpc_conv_flat_stage_image(const hpc_conv_geom* g, const float* x_img, float* st);
void hpc_conv_flat_image_avx2(const hpc_conv_geom* g, const float* st, const float* w, const float* bias, int relu,
                              int64_t k0, int64_t nk, float* y_img, int stream);

/* Weight gradient vectorised over output pixels (conv_wgrad_flat_avx2.c) for the flat forward's
 * layers with s <= 10, on the inputs padded as for the direct forward (with 32 floats of slack
 * after the batch). One call computes dw for filters k0 .. k1 and channel c over the whole batch,
 * staging each image's dy for those filters onto the padded grid in stage ((k1 - k0) *
 * hpc_conv_flat_dy_stride floats, 32-byte aligned) and keeping lane sums in sums (k * c * r * s * 8
 * floats shared by all calls, each touching only its own part). With db, it also computes the bias
 * gradient of its filters, summing 8 lanes a filter in bias_sums (k * 8 doubles); pass db only to
 * the calls for c = 0. */
int hpc_conv_flat_wgrad_supported(const hpc_conv_geom* g);
int hpc_conv_flat_wgrad_filters(const hpc_conv_geom* g);
int64_t hpc_conv_flat_dy_stride(const hpc_conv_geom* g, int64_t wp);
void hpc_conv_flat_stage_dy(const hpc_conv_geom* g, int64_t wp, int64_t nk, const float* dy_img, float* dst,
                            double* bias_sums);
void hpc_conv_flat_wgrad_task_avx2(const hpc_conv_geom* g, const float* xpad, int64_t hp, int64_t wp,
                                   const float* dy, int64_t k0, int64_t k1, int64_t c, float* stage, float* sums,
                                   double* bias_sums, float* dw, float* db);

/* Direct weight gradient over 8-filter blocks (conv_wgrad_oc8_avx2.c), for dilation_w = 1 and
 * s <= 7: dy staged per image by hpc_conv_oc8_stage_dy into ceil(k / 8) * ohw * 8 floats (images
 * one after another), the inputs padded as for the direct forward (c * hp * wp floats each); one
 * call computes dw for filter blocks kb .. kb + nkb (nkb <= hpc_conv_oc8_wgrad_blocks_per_task)
 * and channels c0 .. c1 over the whole batch, keeping its running sums in dwb, a buffer of
 * ceil(k / 8) * c * r * s * 8 floats shared by all calls (each touches only its own part). */
int hpc_conv_oc8_wgrad_supported(const hpc_conv_geom* g);
int hpc_conv_oc8_wgrad_blocks_per_task(const hpc_conv_geom* g);
void hpc_conv_oc8_stage_dy(const hpc_conv_geom* g, const float* dy_img, float* dst);
void hpc_conv_oc8_wgrad_task_avx2(const hpc_conv_geom* g, const float* xpad, int64_t hp, int64_t wp, const float* dyt,
                                  int64_t kb, int nkb, int64_t c0, int64_t c1, float* dwb, float* dw);
/* The padded plane hpc_conv_oc8_image_avx2 and the weight gradient read: hp x wp. */
void hpc_conv_oc8_padded_dims(const hpc_conv_geom* g, int64_t* hp, int64_t* wp);
/* Pads one image (c x h x w) into xp (c x hp x wp). */
void hpc_conv_oc8_pad_image(const hpc_conv_geom* g, const float* x_img, float* xp, int64_t hp, int64_t wp);

/* The kernels for ctx's SIMD path. */
hpc_conv_kernels hpc_conv_kernels_for(const hpc_ctx* ctx);

#endif
