/* Public entry points of the rnn family: validation, the workspace layout, and the sequence
 * drivers. Forward: the input projection of every step as one GEMM with the two biases in its
 * epilogue, then per step the recurrent GEMM accumulated into that step's rows and one fused
 * element-wise pass. Backward: per step (last to first) the fused gate derivatives and the
 * recurrent GEMM that carries dh back one step; after the loop dW_ih, dW_hh, db and dx are one
 * GEMM (or reduction) each over the stored sequence. */
#include "core/internal.h"
#include "core/kernel_table.h"
#include "rnn/rnn_internal.h"
#include "simd/parallel_ranges.h"
#include <string.h>

static const hpc_rnn_kernels* rnn_kernels(const hpc_ctx* ctx) { return ctx->kernels->rnn; }

/* Values per element-wise chunk: one step's rows are split only when a chunk outweighs its dispatch. */
#define RNN_CELL_GRAIN 4096

/* Workspace pieces start on 64-byte boundaries. */
static int64_t round16(int64_t n) { return (n + 15) & ~(int64_t)15; }

typedef struct {
    int64_t gates;   /* LSTM: seq x batch x 4H activations; tanh: seq x batch x H pre-activation gradients */
    int64_t cells;   /* LSTM only: seq x batch x H */
    int64_t dh, dc;  /* batch x H each (dc: LSTM only) */
    int64_t bias;    /* G x H: b_ih + b_hh */
    int64_t total;
} rnn_layout;

static int gate_count(hpc_rnn_cell cell) { return cell == HPC_RNN_LSTM ? 4 : 1; }

static hpc_status check_sizes(hpc_ctx* ctx, const char* fn, hpc_rnn_cell cell, int64_t seq_len, int64_t batch,
                              int64_t hidden, rnn_layout* out) {
    if ((int)cell != HPC_RNN_TANH && (int)cell != HPC_RNN_LSTM)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: cell = %d is not an hpc_rnn_cell", fn, (int)cell);
    if (seq_len < 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: seq_len = %lld is negative", fn, (long long)seq_len);
    if (batch < 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: batch = %lld is negative", fn, (long long)batch);
    if (hidden <= 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: hidden = %lld must be positive", fn, (long long)hidden);
    int64_t g = gate_count(cell), gh, bh, tbh, tbgh;
    /* Bounded so every piece and their 64-byte rounded sum stay far from int64 overflow. */
    if (hpc_mul_overflow(g, hidden, &gh) || hpc_mul_overflow(batch, hidden, &bh) ||
        hpc_mul_overflow(seq_len, bh, &tbh) || hpc_mul_overflow(g, tbh, &tbgh) || tbgh > ((int64_t)1 << 56))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: seq_len * batch * %lld * hidden overflows", fn,
                        (long long)g);
    rnn_layout l = {0};
    l.gates = 0;
    l.cells = round16(tbgh);
    l.dh = l.cells + (cell == HPC_RNN_LSTM ? round16(tbh) : 0);
    l.dc = l.dh + round16(bh);
    l.bias = l.dc + (cell == HPC_RNN_LSTM ? round16(bh) : 0);
    l.total = l.bias + round16(gh);
    *out = l;
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_rnn_workspace_size(hpc_ctx* ctx, hpc_rnn_cell cell, int64_t seq_len, int64_t batch,
                                          int64_t hidden, int64_t* floats) {
    HPC_CHECK_CTX(ctx);
    rnn_layout l = {0};
    hpc_status st = check_sizes(ctx, __func__, cell, seq_len, batch, hidden, &l);
    if (st) return st;
    HPC_CHECK_PTR(ctx, floats);
    *floats = l.total;
    return HPC_STATUS_OK;
}

static hpc_status check_common(hpc_ctx* ctx, const char* fn, hpc_rnn_cell cell, int64_t seq_len, int64_t batch,
                               int64_t input_size, int64_t hidden, const float* x, const float* w_ih,
                               const float* w_hh, const float* y, const float* workspace, int64_t workspace_floats,
                               rnn_layout* l) {
    hpc_status st = check_sizes(ctx, fn, cell, seq_len, batch, hidden, l);
    if (st) return st;
    if (input_size <= 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: input_size = %lld must be positive", fn,
                        (long long)input_size);
    int64_t tb, tbi, gi;
    if (hpc_mul_overflow(seq_len, batch, &tb) || hpc_mul_overflow(tb, input_size, &tbi) ||
        hpc_mul_overflow(gate_count(cell) * hidden, input_size, &gi))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: input_size = %lld overflows the sizes", fn,
                        (long long)input_size);
    if (!w_ih) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: w_ih is null", fn);
    if (!w_hh) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: w_hh is null", fn);
    if (!workspace) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: workspace is null", fn);
    if (workspace_floats < l->total)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                        "%s: workspace_floats = %lld is less than the %lld hpc_rnn_workspace_size requires", fn,
                        (long long)workspace_floats, (long long)l->total);
    if (tb > 0) {
        if (!x) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: x is null", fn);
        if (!y) return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: y is null", fn);
    }
    return HPC_STATUS_OK;
}

/* ---- the element-wise pass of one step, split into fixed row chunks ---- */

typedef struct {
    const hpc_rnn_kernels* k;
    hpc_rnn_cell cell;
    int64_t hidden;
    float* gates;          /* this step's gate rows (LSTM) */
    const float* c_prev;   /* LSTM, may be null */
    float* c;              /* LSTM: this step's cells (forward out, backward in) */
    float* h;              /* forward: this step's y rows; backward (tanh): the step's y rows */
    const float* dy;       /* backward, may be null */
    const float* dh_next;  /* backward */
    float* dc;             /* backward LSTM */
    float* dz;             /* backward tanh */
} cell_job;

static void cell_forward_rows(void* arg, int64_t chunk, int64_t r0, int64_t r1) {
    (void)chunk;
    const cell_job* j = (const cell_job*)arg;
    int64_t h = j->hidden, s = r0 * h;
    if (j->cell == HPC_RNN_LSTM)
        j->k->lstm_forward(r1 - r0, h, j->gates + 4 * s, j->c_prev ? j->c_prev + s : NULL, j->c + s, j->h + s);
    else
        j->k->tanh_forward((r1 - r0) * h, j->h + s);
}

static void cell_backward_rows(void* arg, int64_t chunk, int64_t r0, int64_t r1) {
    (void)chunk;
    const cell_job* j = (const cell_job*)arg;
    int64_t h = j->hidden, s = r0 * h;
    const float* dy = j->dy ? j->dy + s : NULL;
    if (j->cell == HPC_RNN_LSTM)
        j->k->lstm_backward(r1 - r0, h, j->gates + 4 * s, j->c_prev ? j->c_prev + s : NULL, j->c + s, dy,
                            j->dh_next + s, j->dc + s);
    else
        j->k->tanh_backward((r1 - r0) * h, j->h + s, dy, j->dh_next + s, j->dz + s);
}

static hpc_status run_cells(hpc_ctx* ctx, int64_t batch, int64_t hidden, hpc_range_fn fn, cell_job* job) {
    int64_t grain = RNN_CELL_GRAIN / hidden > 0 ? RNN_CELL_GRAIN / hidden : 1;
    return hpc_parallel_ranges(ctx, batch, grain, fn, job);
}

static void copy_or_zero(float* dst, const float* src, int64_t n) {
    if (!dst || dst == src) return;
    if (src) memcpy(dst, src, (size_t)n * sizeof(float));
    else memset(dst, 0, (size_t)n * sizeof(float));
}

HPC_API hpc_status hpc_rnn_forward(hpc_ctx* ctx, hpc_rnn_cell cell, int64_t seq_len, int64_t batch,
                                   int64_t input_size, int64_t hidden, const float* x, const float* w_ih,
                                   const float* w_hh, const float* b_ih, const float* b_hh, const float* h0,
                                   const float* c0, float* y, float* h_n, float* c_n, float* workspace,
                                   int64_t workspace_floats) {
    HPC_CHECK_CTX(ctx);
    rnn_layout l = {0};
    hpc_status st = check_common(ctx, __func__, cell, seq_len, batch, input_size, hidden, x, w_ih, w_hh, y, workspace,
                                 workspace_floats, &l);
    if (st) return st;
    const int lstm = cell == HPC_RNN_LSTM;
    const int64_t G = gate_count(cell), gh = G * hidden, bh = batch * hidden, tb = seq_len * batch;
    if (tb == 0) {
        copy_or_zero(h_n, h0, bh);
        if (lstm) copy_or_zero(c_n, c0, bh);
        return HPC_STATUS_OK;
    }
    /* The tanh cell accumulates its pre-activations straight in y; the LSTM in the gate store. */
    float* z = lstm ? workspace + l.gates : y;
    float* cells = workspace + l.cells;
    float* bias = workspace + l.bias;
    const float* bias_arg = NULL;
    if (b_ih || b_hh) {
        for (int64_t r = 0; r < gh; r++) bias[r] = (b_ih ? b_ih[r] : 0.0f) + (b_hh ? b_hh[r] : 0.0f);
        bias_arg = bias;
    }
    st = hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, HPC_TRANS, tb, gh, input_size, 1.0f, x, input_size, w_ih, input_size,
                            0.0f, z, gh, bias_arg, bias_arg ? HPC_BIAS_COL : HPC_BIAS_NONE, HPC_ACT_IDENTITY);
    if (st) return st;
    cell_job job = {.k = rnn_kernels(ctx), .cell = cell, .hidden = hidden};
    for (int64_t t = 0; t < seq_len; t++) {
        const float* h_prev = t == 0 ? h0 : y + (t - 1) * bh;
        float* zt = z + t * batch * gh;
        if (h_prev) {
            st = hpc_sgemm(ctx, HPC_NO_TRANS, HPC_TRANS, batch, gh, hidden, 1.0f, h_prev, hidden, w_hh, hidden, 1.0f,
                           zt, gh);
            if (st) return st;
        }
        job.gates = zt;
        job.c_prev = t == 0 ? c0 : cells + (t - 1) * bh;
        job.c = cells + t * bh;
        job.h = y + t * bh;
        st = run_cells(ctx, batch, hidden, cell_forward_rows, &job);
        if (st) return st;
    }
    if (h_n) memcpy(h_n, y + (seq_len - 1) * bh, (size_t)bh * sizeof(float));
    if (lstm && c_n) memcpy(c_n, cells + (seq_len - 1) * bh, (size_t)bh * sizeof(float));
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_rnn_backward(hpc_ctx* ctx, hpc_rnn_cell cell, int64_t seq_len, int64_t batch,
                                    int64_t input_size, int64_t hidden, const float* x, const float* w_ih,
                                    const float* w_hh, const float* h0, const float* c0, const float* y,
                                    const float* dy, const float* dh_n, const float* dc_n, float* dx, float* dw_ih,
                                    float* dw_hh, float* db, float* dh0, float* dc0, float* workspace,
                                    int64_t workspace_floats) {
    HPC_CHECK_CTX(ctx);
    rnn_layout l = {0};
    hpc_status st = check_common(ctx, __func__, cell, seq_len, batch, input_size, hidden, x, w_ih, w_hh, y, workspace,
                                 workspace_floats, &l);
    if (st) return st;
    HPC_CHECK_PTR(ctx, dw_ih);
    HPC_CHECK_PTR(ctx, dw_hh);
    const int lstm = cell == HPC_RNN_LSTM;
    const int64_t G = gate_count(cell), gh = G * hidden, bh = batch * hidden, tb = seq_len * batch;
    if (tb == 0) {
        memset(dw_ih, 0, (size_t)(gh * input_size) * sizeof(float));
        memset(dw_hh, 0, (size_t)(gh * hidden) * sizeof(float));
        if (db) memset(db, 0, (size_t)gh * sizeof(float));
        copy_or_zero(dh0, dh_n, bh);
        if (lstm) copy_or_zero(dc0, dc_n, bh);
        return HPC_STATUS_OK;
    }
    float* dz = workspace + l.gates; /* LSTM: overwrites the stored activations step by step */
    float* cells = workspace + l.cells;
    float* dh = workspace + l.dh;
    float* dc = workspace + l.dc;
    copy_or_zero(dh, dh_n, bh);
    if (lstm) copy_or_zero(dc, dc_n, bh);
    cell_job job = {.k = rnn_kernels(ctx), .cell = cell, .hidden = hidden, .dh_next = dh, .dc = dc};
    for (int64_t t = seq_len - 1; t >= 0; t--) {
        float* dzt = dz + t * batch * gh;
        job.gates = dzt;
        job.dz = dzt;
        job.c_prev = t == 0 ? c0 : cells + (t - 1) * bh;
        job.c = cells + t * bh;
        job.h = (float*)(y + t * bh);
        job.dy = dy ? dy + t * bh : NULL;
        st = run_cells(ctx, batch, hidden, cell_backward_rows, &job);
        if (st) return st;
        if (t > 0 || dh0) {
            /* dh_{t-1} = dz_t W_hh: what the step before receives through the recurrence. */
            st = hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, batch, hidden, gh, 1.0f, dzt, gh, w_hh, hidden, 0.0f, dh,
                           hidden);
            if (st) return st;
        }
    }
    if (dh0) memcpy(dh0, dh, (size_t)bh * sizeof(float));
    if (lstm && dc0) memcpy(dc0, dc, (size_t)bh * sizeof(float));
    /* dW_ih = dZ^T X over all steps; dW_hh = dZ_t^T h_{t-1} summed: steps 1.. against y, step 0 against h0. */
    st = hpc_sgemm(ctx, HPC_TRANS, HPC_NO_TRANS, gh, input_size, tb, 1.0f, dz, gh, x, input_size, 0.0f, dw_ih,
                   input_size);
    if (st) return st;
    float beta = 0.0f;
    if (seq_len > 1) {
        st = hpc_sgemm(ctx, HPC_TRANS, HPC_NO_TRANS, gh, hidden, (seq_len - 1) * batch, 1.0f, dz + batch * gh, gh, y,
                       hidden, 0.0f, dw_hh, hidden);
        if (st) return st;
        beta = 1.0f;
    }
    if (h0) {
        st = hpc_sgemm(ctx, HPC_TRANS, HPC_NO_TRANS, gh, hidden, batch, 1.0f, dz, gh, h0, hidden, beta, dw_hh, hidden);
        if (st) return st;
    } else if (seq_len == 1) {
        memset(dw_hh, 0, (size_t)(gh * hidden) * sizeof(float));
    }
    if (db) {
        st = hpc_sum_rows(ctx, tb, gh, dz, gh, 0.0f, db);
        if (st) return st;
    }
    if (dx) {
        st = hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, tb, input_size, gh, 1.0f, dz, gh, w_ih, input_size, 0.0f, dx,
                       input_size);
        if (st) return st;
    }
    return HPC_STATUS_OK;
}
