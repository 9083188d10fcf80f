/* Convolution as ordered lists of algorithms, one list per direction (oneDNN's implementation
 * lists): the first entry whose supported() takes the call runs it. The rules and the figures
 * behind them are in native/src/conv/README.md; the last entry of each list takes any call. */
#include "conv/conv_internal.h"

static int has_direct(const hpc_kernel_table* kt) { return kt->conv_direct != NULL; }

/* ---- workspace needs ---- */

static void no_workspace(const hpc_conv_geom* g, int64_t* full, int64_t* minimum) { *full = *minimum = 0; }

/* One image's im2col matrix at full speed, one output pixel's column at the least (1x1: none). */
static void im2col_workspace(const hpc_conv_geom* g, int64_t* full, int64_t* minimum) {
    if (hpc_conv_is_pointwise(g)) {
        *full = *minimum = 0;
        return;
    }
    *minimum = g->crs * (int64_t)sizeof(float);
    *full = *minimum * g->ohw;
}

/* One whole im2col matrix per chunk running at once. */
static void chunk_workspace(const hpc_conv_geom* g, int64_t* full, int64_t* minimum) {
    *full = *minimum = g->crs * g->ohw * (int64_t)sizeof(float);
}

/* ---- forward ---- */

/* At least 8 filters (one full vector) on images of up to 1024 pixels, not 1x1. */
static int oc8_domain(const hpc_conv_geom* g) { return g->k >= 8 && g->ohw <= 1024 && !hpc_conv_is_pointwise(g); }

static int fwd_flat(const hpc_kernel_table* kt, const hpc_conv_geom* g, hpc_activation act, int64_t ws) {
    return has_direct(kt) && oc8_domain(g) && g->crs <= 32 && g->ohw >= 8 && hpc_conv_flat_supported(g);
}

static int fwd_oc8(const hpc_kernel_table* kt, const hpc_conv_geom* g, hpc_activation act, int64_t ws) {
    return has_direct(kt) && oc8_domain(g);
}

static int fwd_shallow(const hpc_kernel_table* kt, const hpc_conv_geom* g, hpc_activation act, int64_t ws) {
    return has_direct(kt) && !hpc_conv_is_pointwise(g) && g->crs <= 75 && g->s <= 8 && g->sh == 1 && g->sw == 1 &&
           g->dh == 1 && g->dw == 1 && (act == HPC_ACT_IDENTITY || act == HPC_ACT_RELU);
}

static int pointwise(const hpc_kernel_table* kt, const hpc_conv_geom* g, hpc_activation act, int64_t ws) {
    return hpc_conv_is_pointwise(g);
}

static int any(const hpc_kernel_table* kt, const hpc_conv_geom* g, hpc_activation act, int64_t ws) { return 1; }

static const hpc_conv_algorithm forward_list[] = {
    {"direct, pixel-vectorised", fwd_flat, no_workspace, hpc_conv_run_flat},
    {"direct, 8 output channels a vector", fwd_oc8, no_workspace, hpc_conv_run_oc8},
    {"direct, shallow pixel rows", fwd_shallow, no_workspace, hpc_conv_run_shallow},
    {"1x1 GEMM", pointwise, no_workspace, hpc_conv_run_gemm_forward},
    {"im2col + GEMM", any, im2col_workspace, hpc_conv_run_gemm_forward},
};

/* ---- backward-data ---- */

static int bwd_oc8(const hpc_kernel_table* kt, const hpc_conv_geom* g, hpc_activation act, int64_t ws) {
    hpc_conv_geom tg;
    return has_direct(kt) && hpc_conv_transposed_geom(g, &tg) && oc8_domain(&tg);
}

static const hpc_conv_algorithm backward_data_list[] = {
    {"direct, 8 output channels a vector (transposed convolution)", bwd_oc8, no_workspace,
     hpc_conv_run_oc8_backward_data},
    {"1x1 GEMM", pointwise, no_workspace, hpc_conv_run_gemm_backward_data},
    {"GEMM + col2im", any, im2col_workspace, hpc_conv_run_gemm_backward_data},
};

/* ---- backward-weights ---- */

static int wgrad_flat(const hpc_kernel_table* kt, const hpc_conv_geom* g, hpc_activation act, int64_t ws) {
    return has_direct(kt) && g->crs <= 32 && kt->conv_direct->flat_wgrad_supported(g);
}

static int wgrad_oc8(const hpc_kernel_table* kt, const hpc_conv_geom* g, hpc_activation act, int64_t ws) {
    return has_direct(kt) && !hpc_conv_is_pointwise(g) && kt->conv_direct->oc8_wgrad_supported(g);
}

static int wgrad_chunked(const hpc_kernel_table* kt, const hpc_conv_geom* g, hpc_activation act, int64_t ws) {
    return !hpc_conv_is_pointwise(g) && g->crs <= 75 && g->k > HPC_CONV_WGRAD_ROWS &&
           ws / (g->crs * g->ohw * (int64_t)sizeof(float)) >= 1;
}

static const hpc_conv_algorithm backward_weights_list[] = {
    {"direct, pixel-vectorised", wgrad_flat, no_workspace, hpc_conv_run_wgrad_flat},
    {"direct, 8 filters a vector", wgrad_oc8, no_workspace, hpc_conv_run_wgrad_oc8},
    {"im2col + GEMM, filter chunks in parallel", wgrad_chunked, chunk_workspace, hpc_conv_run_chunked_wgrad},
    {"1x1 GEMM", pointwise, no_workspace, hpc_conv_run_gemm_wgrad},
    {"im2col + GEMM", any, im2col_workspace, hpc_conv_run_gemm_wgrad},
};

const hpc_conv_algorithm* hpc_conv_choose(const hpc_kernel_table* kt, hpc_conv_direction dir, const hpc_conv_geom* g,
                                          hpc_activation act, int64_t ws_bytes) {
    const hpc_conv_algorithm* list = dir == HPC_CONV_FORWARD         ? forward_list
                                     : dir == HPC_CONV_BACKWARD_DATA ? backward_data_list
                                                                     : backward_weights_list;
    size_t n = dir == HPC_CONV_FORWARD         ? sizeof forward_list / sizeof forward_list[0]
               : dir == HPC_CONV_BACKWARD_DATA ? sizeof backward_data_list / sizeof backward_data_list[0]
                                               : sizeof backward_weights_list / sizeof backward_weights_list[0];
    for (size_t i = 0; i + 1 < n; i++)
        if (list[i].supported(kt, g, act, ws_bytes)) return &list[i];
    return &list[n - 1];
}
