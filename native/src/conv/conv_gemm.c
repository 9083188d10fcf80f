/* The GEMM-based convolutions: im2col (none for 1x1) + hpc_sgemm per image, tiled over output
 * pixels so the caller's workspace bounds the column matrix; bias and the activations up to TANH
 * ride in the GEMM write-back (hpc_sgemm_bias_act). Threads come from the GEMM's own (same ctx)
 * and from hpc_parallel_for over channels (im2col, col2im), filters (bias gradient) or filter
 * chunks; every reduction runs in an order fixed by the shapes and the workspace size. */
#include "conv/conv_internal.h"
#include <string.h>

int64_t hpc_conv_gemm_tile(const hpc_conv_geom* g, int64_t ws_bytes) {
    int64_t col_bytes = g->crs * (int64_t)sizeof(float);
    return ws_bytes / col_bytes < g->ohw ? ws_bytes / col_bytes : g->ohw;
}

hpc_status hpc_conv_second_pass(hpc_ctx* ctx, const hpc_conv_call* c) {
    if (c->act == HPC_ACT_IDENTITY || c->act == HPC_ACT_RELU) return HPC_STATUS_OK;
    const hpc_conv_geom* g = c->g;
    return hpc_bias_act_forward(ctx, c->act, 0.0f, 1, g->n * g->k * g->ohw, c->y, NULL, c->y);
}

/* ---- parallel passes ---- */

typedef struct im2col_job {
    const hpc_conv_geom* g;
    hpc_im2col_fn fn;
    const float* x_img;
    int64_t p0, np;
    float* col;
} im2col_job;

static void im2col_task(void* arg, int64_t task, int32_t worker) {
    im2col_job* j = (im2col_job*)arg;
    j->fn(j->g, j->x_img, task / j->g->r, task % j->g->r, j->p0, j->np, j->col);
}

static hpc_status run_im2col(hpc_ctx* ctx, const hpc_conv_geom* g, const float* x_img, int64_t p0, int64_t np,
                             float* col) {
    im2col_job j = {g, ctx->kernels->im2col->im2col, x_img, p0, np, col};
    int64_t ntasks = g->c * g->r;
    return hpc_parallel_for(ctx, ntasks, hpc_threads_for(ctx, ntasks), im2col_task, &j);
}

typedef struct col2im_job {
    const hpc_conv_geom* g;
    hpc_col2im_fn fn;
    const float* col;
    int64_t p0, np;
    float* dx_img;
} col2im_job;

static void col2im_task(void* arg, int64_t task, int32_t worker) {
    col2im_job* j = (col2im_job*)arg;
    j->fn(j->g, j->col, task, j->p0, j->np, j->dx_img);
}

typedef struct bias_grad_job {
    const float* dy;
    int64_t n, k, len;
    float* db;
} bias_grad_job;

/* db[k] in double, images then pixels in order, into 8 partial sums by pixel index (one chain of
 * dependent adds cost 4 cycles an element: 2.6 ms of LeNet's first layer): one task owns one
 * filter, so the sum is the same whichever thread runs it. */
static void bias_grad_task(void* arg, int64_t task, int32_t worker) {
    bias_grad_job* j = (bias_grad_job*)arg;
    double acc[8] = {0};
    for (int64_t b = 0; b < j->n; b++) {
        const float* p = j->dy + (b * j->k + task) * j->len;
        int64_t i = 0;
        for (; i + 8 <= j->len; i += 8)
            for (int l = 0; l < 8; l++) acc[l] += p[i + l];
        for (; i < j->len; i++) acc[i & 7] += p[i];
    }
    j->db[task] = (float)(((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])));
}

hpc_status hpc_conv_bias_grad(hpc_ctx* ctx, const hpc_conv_call* c) {
    if (!c->db) return HPC_STATUS_OK;
    const hpc_conv_geom* g = c->g;
    bias_grad_job j = {c->dy, g->n, g->k, g->ohw, c->db};
    return hpc_parallel_for(ctx, g->k, hpc_threads_for(ctx, g->k), bias_grad_task, &j);
}

/* ---- forward ---- */

hpc_status hpc_conv_run_gemm_forward(hpc_ctx* ctx, const hpc_conv_call* c) {
    const hpc_conv_geom* g = c->g;
    /* IDENTITY..TANH ride in the GEMM write-back; STEP, ARCTAN and SOFTPLUS take a second pass. */
    int fused = c->act >= HPC_ACT_IDENTITY && c->act <= HPC_ACT_TANH;
    hpc_activation gemm_act = fused ? c->act : HPC_ACT_IDENTITY;
    hpc_bias_mode bias_mode = c->bias ? HPC_BIAS_ROW : HPC_BIAS_NONE;
    int64_t tile = hpc_conv_gemm_tile(g, c->workspace_bytes);
    float* col = (float*)c->workspace;
    hpc_status st;
    for (int64_t b = 0; b < g->n; b++) {
        const float* xb = c->x + b * g->c * g->h * g->w;
        float* yb = c->y + b * g->k * g->ohw;
        if (hpc_conv_is_pointwise(g)) {
            st = hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, HPC_NO_TRANS, g->k, g->ohw, g->c, 1.0f, c->w, g->c, xb, g->ohw,
                                    0.0f, yb, g->ohw, c->bias, bias_mode, gemm_act);
            if (st != HPC_STATUS_OK) return st;
        } else {
            for (int64_t p0 = 0; p0 < g->ohw; p0 += tile) {
                int64_t np = g->ohw - p0 < tile ? g->ohw - p0 : tile;
                if ((st = run_im2col(ctx, g, xb, p0, np, col)) != HPC_STATUS_OK) return st;
                st = hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, HPC_NO_TRANS, g->k, np, g->crs, 1.0f, c->w, g->crs, col, np,
                                        0.0f, yb + p0, g->ohw, c->bias, bias_mode, gemm_act);
                if (st != HPC_STATUS_OK) return st;
            }
        }
        if (!fused && (st = hpc_bias_act_forward(ctx, c->act, 0.0f, 1, g->k * g->ohw, yb, NULL, yb)) != HPC_STATUS_OK)
            return st;
    }
    return HPC_STATUS_OK;
}

/* ---- backward-data: dx = col2im(w^T dy) ---- */

hpc_status hpc_conv_run_gemm_backward_data(hpc_ctx* ctx, const hpc_conv_call* c) {
    const hpc_conv_geom* g = c->g;
    int64_t tile = hpc_conv_gemm_tile(g, c->workspace_bytes), plane = g->c * g->h * g->w;
    float* col = (float*)c->workspace;
    hpc_status st;
    for (int64_t b = 0; b < g->n; b++) {
        const float* dyb = c->dy + b * g->k * g->ohw;
        float* dxb = c->dx + b * plane;
        if (hpc_conv_is_pointwise(g)) {
            st = hpc_sgemm(ctx, HPC_TRANS, HPC_NO_TRANS, g->c, g->ohw, g->k, 1.0f, c->w, g->c, dyb, g->ohw, 0.0f, dxb,
                           g->ohw);
            if (st != HPC_STATUS_OK) return st;
            continue;
        }
        memset(dxb, 0, (size_t)plane * sizeof(float));
        for (int64_t p0 = 0; p0 < g->ohw; p0 += tile) {
            int64_t np = g->ohw - p0 < tile ? g->ohw - p0 : tile;
            st = hpc_sgemm(ctx, HPC_TRANS, HPC_NO_TRANS, g->crs, np, g->k, 1.0f, c->w, g->crs, dyb + p0, g->ohw, 0.0f,
                           col, np);
            if (st != HPC_STATUS_OK) return st;
            col2im_job j = {g, ctx->kernels->im2col->col2im, col, p0, np, dxb};
            if ((st = hpc_parallel_for(ctx, g->c, hpc_threads_for(ctx, g->c), col2im_task, &j)) != HPC_STATUS_OK)
                return st;
        }
    }
    return HPC_STATUS_OK;
}

/* ---- backward-weights ---- */

/* dw = sum over images and pixel tiles of dy_tile im2col(x)_tile^T, accumulated by the GEMM in
 * image-then-tile order (beta = 0 on the very first product). */
hpc_status hpc_conv_run_gemm_wgrad(hpc_ctx* ctx, const hpc_conv_call* c) {
    const hpc_conv_geom* g = c->g;
    int64_t tile = hpc_conv_gemm_tile(g, c->workspace_bytes);
    float* col = (float*)c->workspace;
    hpc_status st;
    float beta = 0.0f;
    for (int64_t b = 0; b < g->n; b++) {
        const float* xb = c->x + b * g->c * g->h * g->w;
        const float* dyb = c->dy + b * g->k * g->ohw;
        if (hpc_conv_is_pointwise(g)) {
            st = hpc_sgemm(ctx, HPC_NO_TRANS, HPC_TRANS, g->k, g->c, g->ohw, 1.0f, dyb, g->ohw, xb, g->ohw, beta, c->dw,
                           g->c);
            if (st != HPC_STATUS_OK) return st;
            beta = 1.0f;
            continue;
        }
        for (int64_t p0 = 0; p0 < g->ohw; p0 += tile) {
            int64_t np = g->ohw - p0 < tile ? g->ohw - p0 : tile;
            if ((st = run_im2col(ctx, g, xb, p0, np, col)) != HPC_STATUS_OK) return st;
            st = hpc_sgemm(ctx, HPC_NO_TRANS, HPC_TRANS, g->k, g->crs, np, 1.0f, dyb + p0, g->ohw, col, np, beta, c->dw,
                           g->crs);
            if (st != HPC_STATUS_OK) return st;
            beta = 1.0f;
        }
    }
    return hpc_conv_bias_grad(ctx, c);
}

/* Shallow layers: one GEMM per image is too small to split across threads (the threads would
 * meet once per image for microseconds of work). Instead the filters are cut into fixed chunks of
 * HPC_CONV_WGRAD_ROWS, each a task reducing the whole batch in image order with a serial (nested)
 * GEMM on its own im2col buffer. The partition never depends on the thread count, so neither do
 * the results; the workspace only bounds how many chunks run at once. */
typedef struct wgrad_job {
    const hpc_conv_geom* g;
    hpc_ctx* ctx;
    hpc_im2col_fn im2col;
    const float *x, *dy;
    float *dw, *ws;
    hpc_status status[1024];
} wgrad_job;

static void wgrad_chunk_task(void* arg, int64_t t, int32_t worker) {
    wgrad_job* j = (wgrad_job*)arg;
    const hpc_conv_geom* g = j->g;
    int64_t k0 = t * HPC_CONV_WGRAD_ROWS, kn = g->k - k0 < HPC_CONV_WGRAD_ROWS ? g->k - k0 : HPC_CONV_WGRAD_ROWS;
    float* col = j->ws + (int64_t)worker * g->crs * g->ohw;
    for (int64_t b = 0; b < g->n; b++) {
        const float* xb = j->x + b * g->c * g->h * g->w;
        for (int64_t ci = 0; ci < g->c; ci++)
            for (int64_t ri = 0; ri < g->r; ri++) j->im2col(g, xb, ci, ri, 0, g->ohw, col);
        hpc_status st = hpc_sgemm(j->ctx, HPC_NO_TRANS, HPC_TRANS, kn, g->crs, g->ohw, 1.0f,
                                  j->dy + (b * g->k + k0) * g->ohw, g->ohw, col, g->ohw, b == 0 ? 0.0f : 1.0f,
                                  j->dw + k0 * g->crs, g->crs);
        if (st != HPC_STATUS_OK) {
            j->status[worker] = st;
            return;
        }
    }
}

hpc_status hpc_conv_run_chunked_wgrad(hpc_ctx* ctx, const hpc_conv_call* c) {
    const hpc_conv_geom* g = c->g;
    int64_t chunks = (g->k + HPC_CONV_WGRAD_ROWS - 1) / HPC_CONV_WGRAD_ROWS;
    int64_t slots = c->workspace_bytes / (g->crs * g->ohw * (int64_t)sizeof(float));
    int32_t nt = hpc_threads_for(ctx, chunks < slots ? chunks : slots);
    wgrad_job j = {.g = g, .ctx = ctx, .im2col = ctx->kernels->im2col->im2col, .x = c->x, .dy = c->dy, .dw = c->dw,
                   .ws = (float*)c->workspace};
    hpc_status st = hpc_parallel_for(ctx, chunks, nt, wgrad_chunk_task, &j);
    if (st != HPC_STATUS_OK) return st;
    for (int32_t w = 0; w < nt; w++)
        if (j.status[w] != HPC_STATUS_OK) return j.status[w];
    return hpc_conv_bias_grad(ctx, c);
}
