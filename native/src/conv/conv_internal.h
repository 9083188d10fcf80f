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

/* The family's im2col slot in the kernel table. */
typedef struct hpc_im2col_kernels {
    hpc_im2col_fn im2col;
    hpc_col2im_fn col2im;
} hpc_im2col_kernels;
extern const hpc_im2col_kernels hpc_im2col_kernels_scalar, hpc_im2col_kernels_avx2, hpc_im2col_kernels_avx512;

void hpc_im2col_scalar(const hpc_conv_geom* g, const float* x_img, int64_t ci, int64_t ri, int64_t p0, int64_t np,
                       float* col);
void hpc_col2im_scalar(const hpc_conv_geom* g, const float* col, int64_t ci, int64_t p0, int64_t np, float* dx_img);
void hpc_im2col_avx2(const hpc_conv_geom* g, const float* x_img, int64_t ci, int64_t ri, int64_t p0, int64_t np,
                     float* col);
void hpc_col2im_avx2(const hpc_conv_geom* g, const float* col, int64_t ci, int64_t p0, int64_t np, float* dx_img);
void hpc_im2col_avx512(const hpc_conv_geom* g, const float* x_img, int64_t ci, int64_t ri, int64_t p0, int64_t np,
                       float* col);
void hpc_col2im_avx512(const hpc_conv_geom* g, const float* col, int64_t ci, int64_t p0, int64_t np, float* dx_img);

/* The direct kernels' vector of output channels (filters), and how many such blocks k filters
 * make: the last one zero-padded. */
#define HPC_CONV_OC 8
static inline int64_t hpc_conv_oc_blocks(int64_t k) { return (k + HPC_CONV_OC - 1) / HPC_CONV_OC; }
/* Filters of block kb that exist. */
static inline int64_t hpc_conv_oc_valid(int64_t k, int64_t kb) {
    return k - kb * HPC_CONV_OC < HPC_CONV_OC ? k - kb * HPC_CONV_OC : HPC_CONV_OC;
}

/* ---- layouts (conv_layout.c, plain C): what the direct kernels read ---- */

/* 1x1, stride 1, no padding: the input plane already is the im2col matrix. */
int hpc_conv_is_pointwise(const hpc_conv_geom* g);
/* At stride 1, dx is the stride-1 convolution of dy with the flipped kernel transposed; its
 * geometry in *t, when it exists (0: the padding exceeds the dilated kernel). */
int hpc_conv_transposed_geom(const hpc_conv_geom* g, hpc_conv_geom* t);
/* The padded plane the 8-channel kernels and the weight gradients read: hp x wp. */
void hpc_conv_oc8_padded_dims(const hpc_conv_geom* g, int64_t* hp, int64_t* wp);
/* w[k][c][r][s] -> wb[k / 8][c][r][s][8], channels past k zero. */
void hpc_conv_oc8_pack_weights(const hpc_conv_geom* g, const float* w, float* wb);
/* For backward-data at stride 1 (dy convolved with the flipped, transposed kernel): packs w
 * (k x c x r x s, geometry g of the forward layer) for that convolution. */
void hpc_conv_oc8_pack_weights_flipped(const hpc_conv_geom* g, const float* w, float* wb);
/* Channel-blocked staging (c a multiple of 8, stride 1): images c / 8 x hp x wp x 8, weights
 * k / 8 x c / 8 x r x s x 8 x 8 (flipped for backward-data). */
int hpc_conv_oc8_blocked_supported(const hpc_conv_geom* g);
void hpc_conv_oc8_pack_weights_blocked(const hpc_conv_geom* g, const float* w, int flipped, float* wb);
/* The pixel-vectorised kernels: stride 1; an image staged once per kernel column, shifted
 * (hpc_conv_flat_stage_floats floats); dy rows staged onto the padded grid (dy_stride floats a filter). */
int hpc_conv_flat_supported(const hpc_conv_geom* g);
/* Rows of one staged plane: the output rows plus the taps' reach below them. */
static inline int64_t hpc_conv_flat_staged_rows(const hpc_conv_geom* g) { return g->oh + (g->r - 1) * g->dh; }
int64_t hpc_conv_flat_stage_floats(const hpc_conv_geom* g);
int64_t hpc_conv_flat_dy_stride(const hpc_conv_geom* g, int64_t wp);

/* ---- the direct kernels: the conv_direct slot of the kernel table ---- */
typedef struct hpc_conv_direct_kernels {
    /* Shallow layers (c * r * s <= 75, s <= 8, stride 1, no dilation): one image, vectorised over
     * output pixels, y = act(conv + bias), act identity or ReLU (relu = 1). */
    void (*shallow_image)(const hpc_conv_geom* g, const float* x_img, const float* w, const float* bias, int relu,
                          float* y_img);
    /* Over 8 output channels, any stride, padding and dilation: output channels kb*8 ..
     * (kb + nkb)*8 of one image padded by pad_image (or pad_image_blocked, blocked = 1), weights
     * packed by the layout helpers above. oc8_blocks_per_task: the nkb a call should take. */
    void (*oc8_block)(const hpc_conv_geom* g, const float* xp, const float* wb, const float* bias, int relu,
                      int64_t kb, int nkb, int blocked, float* y_img);
    int (*oc8_blocks_per_task)(const hpc_conv_geom* g);
    void (*pad_image)(const hpc_conv_geom* g, const float* x_img, float* xp, int64_t hp, int64_t wp);
    void (*pad_image_blocked)(const hpc_conv_geom* g, const float* x_img, float* xpb, int64_t hp, int64_t wp);
    /* Over output pixels (hpc_conv_flat_supported, planes of at least 8 pixels): an image staged
     * into st by flat_stage_image, then filters k0 .. k0 + nk, w as given; stream asks for
     * non-temporal stores (taken when y_img is 32-byte aligned and oh * ow a multiple of 8). */
    void (*flat_stage_image)(const hpc_conv_geom* g, const float* x_img, float* st);
    void (*flat_image)(const hpc_conv_geom* g, const float* st, const float* w, const float* bias, int relu,
                       int64_t k0, int64_t nk, float* y_img, int stream);
    /* Weight gradient over 8-filter blocks (where oc8_wgrad_supported): dy staged per image by
     * oc8_stage_dy into ceil(k / 8) * ohw * 8 floats, inputs padded as for the forward; one call
     * computes dw for filter blocks kb .. kb + nkb (nkb <= oc8_wgrad_blocks_per_task) and
     * channels c0 .. c1 over the batch, its running sums in dwb (ceil(k / 8) * c * r * s * 8
     * floats shared by all calls, each touching only its own part). */
    int (*oc8_wgrad_supported)(const hpc_conv_geom* g);
    int (*oc8_wgrad_blocks_per_task)(const hpc_conv_geom* g);
    void (*oc8_stage_dy)(const hpc_conv_geom* g, const float* dy_img, float* dst);
    void (*oc8_wgrad_task)(const hpc_conv_geom* g, const float* xpad, int64_t hp, int64_t wp, const float* dyt,
                           int64_t kb, int nkb, int64_t c0, int64_t c1, float* dwb, float* dw);
    /* Weight gradient over output pixels (where flat_wgrad_supported) on the inputs padded as for
     * the forward (32 floats of slack after the batch): dw for filters k0 .. k1 (a multiple of
     * flat_wgrad_filters apart) and channel c over the batch, staging dy in stage, lane sums in
     * sums (k * c * r * s * 8 floats shared by all calls); with db (pass it for c = 0 only) also
     * the bias gradient, summing 8 lanes a filter in bias_sums (k * 8 doubles). */
    int (*flat_wgrad_supported)(const hpc_conv_geom* g);
    int (*flat_wgrad_filters)(const hpc_conv_geom* g);
    void (*flat_wgrad_task)(const hpc_conv_geom* g, const float* xpad, int64_t hp, int64_t wp, const float* dy,
                            int64_t k0, int64_t k1, int64_t c, float* stage, float* sums, double* bias_sums, float* dw,
                            float* db);
} hpc_conv_direct_kernels;
extern const hpc_conv_direct_kernels hpc_conv_direct_kernels_avx2;

/* The AVX2 instance's members (one file each). */
void hpc_conv_direct_image_avx2(const hpc_conv_geom* g, const float* x_img, const float* w, const float* bias,
                                int relu, float* y_img);
void hpc_conv_oc8_block_avx2(const hpc_conv_geom* g, const float* xp, const float* wb, const float* bias, int relu,
                             int64_t kb, int nkb, int blocked, float* y_img);
int hpc_conv_oc8_blocks_per_task_avx2(const hpc_conv_geom* g);
void hpc_conv_oc8_pad_image_avx2(const hpc_conv_geom* g, const float* x_img, float* xp, int64_t hp, int64_t wp);
void hpc_conv_oc8_pad_image_blocked_avx2(const hpc_conv_geom* g, const float* x_img, float* xpb, int64_t hp,
                                         int64_t wp);
void hpc_conv_flat_stage_image_avx2(const hpc_conv_geom* g, const float* x_img, float* st);
void hpc_conv_flat_image_avx2(const hpc_conv_geom* g, const float* st, const float* w, const float* bias, int relu,
                              int64_t k0, int64_t nk, float* y_img, int stream);
int hpc_conv_oc8_wgrad_supported_avx2(const hpc_conv_geom* g);
int hpc_conv_oc8_wgrad_blocks_per_task_avx2(const hpc_conv_geom* g);
void hpc_conv_oc8_stage_dy_avx2(const hpc_conv_geom* g, const float* dy_img, float* dst);
void hpc_conv_oc8_wgrad_task_avx2(const hpc_conv_geom* g, const float* xpad, int64_t hp, int64_t wp, const float* dyt,
                                  int64_t kb, int nkb, int64_t c0, int64_t c1, float* dwb, float* dw);
int hpc_conv_flat_wgrad_supported_avx2(const hpc_conv_geom* g);
int hpc_conv_flat_wgrad_filters_avx2(const hpc_conv_geom* g);
void hpc_conv_flat_wgrad_task_avx2(const hpc_conv_geom* g, const float* xpad, int64_t hp, int64_t wp,
                                   const float* dy, int64_t k0, int64_t k1, int64_t c, float* stage, float* sums,
                                   double* bias_sums, float* dw, float* db);

/* ---- algorithms (conv_algorithms.c: the ordered lists; conv_direct.c, conv_gemm.c: the runs) ---- */

/* One validated call as an algorithm sees it (the direction's own pointers set, the rest null). */
typedef struct hpc_conv_call {
    const hpc_conv_geom* g;
    hpc_activation act; /* forward; IDENTITY otherwise */
    const float *x, *w, *bias, *dy;
    float *y, *dx, *dw, *db;
    void* workspace;
    int64_t workspace_bytes;
} hpc_conv_call;

typedef struct hpc_conv_algorithm {
    const char* name;
    /* Takes this call on the path of kt (act: forward only; ws_bytes: what the caller gives)? */
    int (*supported)(const hpc_kernel_table* kt, const hpc_conv_geom* g, hpc_activation act, int64_t ws_bytes);
    /* Caller workspace at full speed, and the least it accepts (0, 0: it needs none). */
    void (*workspace)(const hpc_conv_geom* g, int64_t* full, int64_t* minimum);
    hpc_status (*run)(hpc_ctx* ctx, const hpc_conv_call* call);
} hpc_conv_algorithm;

/* The first algorithm of dir's list that takes the call (the last of each list takes any). */
const hpc_conv_algorithm* hpc_conv_choose(const hpc_kernel_table* kt, hpc_conv_direction dir, const hpc_conv_geom* g,
                                          hpc_activation act, int64_t ws_bytes);

hpc_status hpc_conv_run_shallow(hpc_ctx* ctx, const hpc_conv_call* c);
hpc_status hpc_conv_run_flat(hpc_ctx* ctx, const hpc_conv_call* c);
hpc_status hpc_conv_run_oc8(hpc_ctx* ctx, const hpc_conv_call* c);
hpc_status hpc_conv_run_oc8_backward_data(hpc_ctx* ctx, const hpc_conv_call* c);
hpc_status hpc_conv_run_wgrad_oc8(hpc_ctx* ctx, const hpc_conv_call* c);
hpc_status hpc_conv_run_wgrad_flat(hpc_ctx* ctx, const hpc_conv_call* c);
hpc_status hpc_conv_run_gemm_forward(hpc_ctx* ctx, const hpc_conv_call* c);
hpc_status hpc_conv_run_gemm_backward_data(hpc_ctx* ctx, const hpc_conv_call* c);
hpc_status hpc_conv_run_gemm_wgrad(hpc_ctx* ctx, const hpc_conv_call* c);
hpc_status hpc_conv_run_chunked_wgrad(hpc_ctx* ctx, const hpc_conv_call* c);
/* Filters per task of the chunked weight gradient. */
#define HPC_CONV_WGRAD_ROWS 16
/* Output pixels one im2col pass covers with ws_bytes of workspace (validated: >= one column). */
int64_t hpc_conv_gemm_tile(const hpc_conv_geom* g, int64_t ws_bytes);
/* The activations the direct kernels do not apply in registers (all but IDENTITY and RELU), over y. */
hpc_status hpc_conv_second_pass(hpc_ctx* ctx, const hpc_conv_call* c);
/* db from dy (nothing when db is null). */
hpc_status hpc_conv_bias_grad(hpc_ctx* ctx, const hpc_conv_call* c);

#endif
