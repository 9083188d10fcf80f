/*
 * dnnl_lstm.c - oneDNN 2.6's LSTM primitive against Hpc's hpc_rnn_forward / hpc_rnn_backward,
 * side by side in one process.
 *
 * Per shape, one LSTM layer, one direction, time-major, states carried in and out (src_iter /
 * src_iter_c / dst_iter / dst_iter_c), f32: oneDNN's forward_training + backward primitives
 * (weights in whatever layout the primitive asks for, `any`; reorders not timed) and Hpc's
 * forward + backward (PyTorch layout) are called in turn for SECONDS, so both meet the same
 * phases of a shared machine. Prints one JSON line per side with the medians of the forward, the
 * backward and their sum (a layer's training step), and the step's GFLOP/s (6 T B 4H (I + H)).
 * Threads: OMP_NUM_THREADS for oneDNN (Debian's build uses OpenMP) and the same count for Hpc.
 * Usage: dnnl_lstm [SECONDS]     (default 3)
 * Build: gcc -O2 -std=c11 -I../../native/include dnnl_lstm.c -L<libhpcnn dir> -lhpcnn -ldnnl -lm -o dnnl_lstm
 */
#define _POSIX_C_SOURCE 200809L
#include <dnnl.h>
#include "hpcnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(call)                                                                                  \
    do {                                                                                             \
        dnnl_status_t s_ = (call);                                                                   \
        if (s_ != dnnl_success) {                                                                    \
            fprintf(stderr, "dnnl_lstm: %s failed with status %d (line %d)\n", #call, (int)s_, __LINE__); \
            exit(1);                                                                                 \
        }                                                                                            \
    } while (0)
#define HCHECK(call)                                                                                 \
    do {                                                                                             \
        if ((call) != HPC_STATUS_OK) {                                                               \
            fprintf(stderr, "dnnl_lstm: %s failed: %s\n", #call, hpc_ctx_last_error(hctx));         \
            exit(1);                                                                                 \
        }                                                                                            \
    } while (0)

typedef struct {
    const char* name;
    int64_t t, b, i, h;
} shape_t;

static const shape_t SHAPES[] = {
    {"lstm_I64_H128_T35_B32", 35, 32, 64, 128},
    {"char_lstm_I64_H256_T64_B32", 64, 32, 64, 256},
};

static dnnl_engine_t g_engine;
static dnnl_stream_t g_stream;
static hpc_ctx* hctx;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

static double median(double* v, int n) {
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void fill(float* p, size_t n, uint32_t seed) {
    for (size_t k = 0; k < n; k++) {
        seed = seed * 1664525u + 1013904223u;
        p[k] = ((float)((seed >> 8) & 0xffff) / 65536.0f - 0.5f) * 0.2f;
    }
}

/* Arguments of the primitives; memories created from the primitive's own descriptor per argument,
 * shared between forward and backward when the descriptors agree (the workspace must be). */
static const int FWD_ARGS[] = {DNNL_ARG_SRC_LAYER, DNNL_ARG_SRC_ITER, DNNL_ARG_SRC_ITER_C, DNNL_ARG_WEIGHTS_LAYER,
                               DNNL_ARG_WEIGHTS_ITER, DNNL_ARG_BIAS, DNNL_ARG_DST_LAYER, DNNL_ARG_DST_ITER,
                               DNNL_ARG_DST_ITER_C, DNNL_ARG_WORKSPACE};
static const int BWD_EXTRA[] = {DNNL_ARG_DIFF_SRC_LAYER, DNNL_ARG_DIFF_SRC_ITER, DNNL_ARG_DIFF_SRC_ITER_C,
                                DNNL_ARG_DIFF_WEIGHTS_LAYER, DNNL_ARG_DIFF_WEIGHTS_ITER, DNNL_ARG_DIFF_BIAS,
                                DNNL_ARG_DIFF_DST_LAYER, DNNL_ARG_DIFF_DST_ITER, DNNL_ARG_DIFF_DST_ITER_C};
#define NF ((int)(sizeof FWD_ARGS / sizeof FWD_ARGS[0]))
#define NB ((int)(sizeof BWD_EXTRA / sizeof BWD_EXTRA[0]))

static dnnl_memory_t mem_for(const_dnnl_primitive_desc_t pd, int arg) {
    const dnnl_memory_desc_t* md = dnnl_primitive_desc_query_md(pd, dnnl_query_exec_arg_md, arg);
    if (!md || dnnl_memory_desc_get_size(md) == 0) return NULL;
    dnnl_memory_t m;
    CHECK(dnnl_memory_create(&m, md, g_engine, DNNL_MEMORY_ALLOCATE));
    float* p;
    CHECK(dnnl_memory_get_data_handle(m, (void**)&p));
    fill(p, dnnl_memory_desc_get_size(md) / sizeof(float), (uint32_t)arg * 7919u + 1u);
    return m;
}

static void run_shape(const shape_t* s, int threads, double seconds) {
    int64_t T = s->t, B = s->b, I = s->i, H = s->h;
    dnnl_memory_desc_t src, src_iter, src_iter_c, wl, wi, bias, dst, dst_iter, dst_iter_c;
    dnnl_dims_t d_src = {T, B, I}, d_iter = {1, 1, B, H}, d_wl = {1, 1, I, 4, H}, d_wi = {1, 1, H, 4, H},
                d_bias = {1, 1, 4, H}, d_dst = {T, B, H};
    CHECK(dnnl_memory_desc_init_by_tag(&src, 3, d_src, dnnl_f32, dnnl_tnc));
    CHECK(dnnl_memory_desc_init_by_tag(&src_iter, 4, d_iter, dnnl_f32, dnnl_ldnc));
    CHECK(dnnl_memory_desc_init_by_tag(&src_iter_c, 4, d_iter, dnnl_f32, dnnl_ldnc));
    CHECK(dnnl_memory_desc_init_by_tag(&wl, 5, d_wl, dnnl_f32, dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&wi, 5, d_wi, dnnl_f32, dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&bias, 4, d_bias, dnnl_f32, dnnl_ldgo));
    CHECK(dnnl_memory_desc_init_by_tag(&dst, 3, d_dst, dnnl_f32, dnnl_tnc));
    CHECK(dnnl_memory_desc_init_by_tag(&dst_iter, 4, d_iter, dnnl_f32, dnnl_ldnc));
    CHECK(dnnl_memory_desc_init_by_tag(&dst_iter_c, 4, d_iter, dnnl_f32, dnnl_ldnc));
    dnnl_rnn_desc_t fd, bd;
    CHECK(dnnl_lstm_forward_desc_init(&fd, dnnl_forward_training, dnnl_unidirectional_left2right, &src, &src_iter,
                                      &src_iter_c, &wl, &wi, &bias, &dst, &dst_iter, &dst_iter_c, 0));
    dnnl_primitive_desc_t fpd, bpd;
    CHECK(dnnl_primitive_desc_create(&fpd, &fd, NULL, g_engine, NULL));
    CHECK(dnnl_lstm_backward_desc_init(&bd, dnnl_backward, dnnl_unidirectional_left2right, &src, &src_iter,
                                       &src_iter_c, &wl, &wi, &bias, &dst, &dst_iter, &dst_iter_c, &src, &src_iter,
                                       &src_iter_c, &wl, &wi, &bias, &dst, &dst_iter, &dst_iter_c, 0));
    CHECK(dnnl_primitive_desc_create(&bpd, &bd, NULL, g_engine, fpd));
    const char* fimpl = "?";
    CHECK(dnnl_primitive_desc_query(fpd, dnnl_query_impl_info_str, 0, &fimpl));
    dnnl_primitive_t fwd, bwd;
    CHECK(dnnl_primitive_create(&fwd, fpd));
    CHECK(dnnl_primitive_create(&bwd, bpd));
    dnnl_exec_arg_t fargs[NF], bargs[NF + NB];
    int nf = 0, nb = 0;
    for (int k = 0; k < NF; k++) {
        dnnl_memory_t m = mem_for(fpd, FWD_ARGS[k]);
        if (!m) continue;
        fargs[nf++] = (dnnl_exec_arg_t){FWD_ARGS[k], m};
        const dnnl_memory_desc_t* bmd = dnnl_primitive_desc_query_md(bpd, dnnl_query_exec_arg_md, FWD_ARGS[k]);
        const dnnl_memory_desc_t* fmd;
        CHECK(dnnl_memory_get_memory_desc(m, &fmd));
        if (bmd && dnnl_memory_desc_get_size(bmd) > 0)
            bargs[nb++] = (dnnl_exec_arg_t){FWD_ARGS[k], dnnl_memory_desc_equal(bmd, fmd) ? m : mem_for(bpd, FWD_ARGS[k])};
    }
    for (int k = 0; k < NB; k++) {
        dnnl_memory_t m = mem_for(bpd, BWD_EXTRA[k]);
        if (m) bargs[nb++] = (dnnl_exec_arg_t){BWD_EXTRA[k], m};
    }

    /* Hpc: the same layer, PyTorch layout. */
    int64_t G = 4 * H, ws;
    HCHECK(hpc_rnn_workspace_size(hctx, HPC_RNN_LSTM, T, B, H, &ws));
    float *x = malloc(sizeof(float) * T * B * I), *w_ih = malloc(sizeof(float) * G * I), *w_hh = malloc(sizeof(float) * G * H);
    float *b_ih = malloc(sizeof(float) * G), *b_hh = malloc(sizeof(float) * G), *h0 = malloc(sizeof(float) * B * H);
    float *c0 = malloc(sizeof(float) * B * H), *y = malloc(sizeof(float) * T * B * H), *hn = malloc(sizeof(float) * B * H);
    float *cn = malloc(sizeof(float) * B * H), *work = malloc(sizeof(float) * ws), *dy = malloc(sizeof(float) * T * B * H);
    float *dx = malloc(sizeof(float) * T * B * I), *dwi = malloc(sizeof(float) * G * I), *dwh = malloc(sizeof(float) * G * H);
    float *db = malloc(sizeof(float) * G), *dh0 = malloc(sizeof(float) * B * H), *dc0 = malloc(sizeof(float) * B * H);
    float *dhn = malloc(sizeof(float) * B * H), *dcn = malloc(sizeof(float) * B * H);
    fill(x, T * B * I, 1), fill(w_ih, G * I, 2), fill(w_hh, G * H, 3), fill(b_ih, G, 4), fill(b_hh, G, 5);
    fill(h0, B * H, 6), fill(c0, B * H, 7), fill(dy, T * B * H, 8), fill(dhn, B * H, 9), fill(dcn, B * H, 10);

    enum { CAP = 100000 };
    static double df[CAP], dbw[CAP], dt[CAP], hf[CAP], hb[CAP], ht[CAP];
    int n = 0;
    for (int warm = 0; warm < 3; warm++) {
        CHECK(dnnl_primitive_execute(fwd, g_stream, nf, fargs));
        CHECK(dnnl_primitive_execute(bwd, g_stream, nb, bargs));
        CHECK(dnnl_stream_wait(g_stream));
        HCHECK(hpc_rnn_forward(hctx, HPC_RNN_LSTM, T, B, I, H, x, w_ih, w_hh, b_ih, b_hh, h0, c0, y, hn, cn, work, ws));
        HCHECK(hpc_rnn_backward(hctx, HPC_RNN_LSTM, T, B, I, H, x, w_ih, w_hh, h0, c0, y, dy, dhn, dcn, dx, dwi, dwh, db,
                                dh0, dc0, work, ws));
    }
    double end = now_s() + seconds;
    while (n < CAP && (now_s() < end || n < 5)) {
        double t0 = now_s();
        CHECK(dnnl_primitive_execute(fwd, g_stream, nf, fargs));
        CHECK(dnnl_stream_wait(g_stream));
        double t1 = now_s();
        CHECK(dnnl_primitive_execute(bwd, g_stream, nb, bargs));
        CHECK(dnnl_stream_wait(g_stream));
        double t2 = now_s();
        HCHECK(hpc_rnn_forward(hctx, HPC_RNN_LSTM, T, B, I, H, x, w_ih, w_hh, b_ih, b_hh, h0, c0, y, hn, cn, work, ws));
        double t3 = now_s();
        HCHECK(hpc_rnn_backward(hctx, HPC_RNN_LSTM, T, B, I, H, x, w_ih, w_hh, h0, c0, y, dy, dhn, dcn, dx, dwi, dwh, db,
                                dh0, dc0, work, ws));
        double t4 = now_s();
        df[n] = t1 - t0, dbw[n] = t2 - t1, dt[n] = t2 - t0, hf[n] = t3 - t2, hb[n] = t4 - t3, ht[n] = t4 - t2;
        n++;
    }
    double flops = 6.0 * (double)(T * B * G) * (double)(I + H);
    double mdt = median(dt, n), mht = median(ht, n);
    printf("{\"peer\": \"onednn\", \"shape\": \"%s\", \"impl\": \"%s\", \"threads\": %d, \"n\": %d, \"fwd_ms\": %.3f, "
           "\"bwd_ms\": %.3f, \"step_ms\": %.3f, \"gflops\": %.1f}\n",
           s->name, fimpl, threads, n, 1e3 * median(df, n), 1e3 * median(dbw, n), 1e3 * mdt, flops / mdt * 1e-9);
    printf("{\"peer\": \"hpc\", \"shape\": \"%s\", \"isa\": \"%s\", \"threads\": %d, \"n\": %d, \"fwd_ms\": %.3f, "
           "\"bwd_ms\": %.3f, \"step_ms\": %.3f, \"gflops\": %.1f, \"onednn_over_hpc\": %.2f}\n",
           s->name, hpc_isa_name(HPC_ISA_AUTO), threads, n, 1e3 * median(hf, n), 1e3 * median(hb, n), 1e3 * mht,
           flops / mht * 1e-9, mdt / mht);
    fflush(stdout);
    free(x), free(w_ih), free(w_hh), free(b_ih), free(b_hh), free(h0), free(c0), free(y), free(hn), free(cn);
    free(work), free(dy), free(dx), free(dwi), free(dwh), free(db), free(dh0), free(dc0), free(dhn), free(dcn);
    dnnl_primitive_destroy(fwd), dnnl_primitive_destroy(bwd);
    dnnl_primitive_desc_destroy(fpd), dnnl_primitive_desc_destroy(bpd);
}

int main(int argc, char** argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 3.0;
    const char* env = getenv("OMP_NUM_THREADS");
    int threads = env ? atoi(env) : 1;
    if (threads < 1) threads = 1;
    CHECK(dnnl_engine_create(&g_engine, dnnl_cpu, 0));
    CHECK(dnnl_stream_create(&g_stream, g_engine, dnnl_stream_default_flags));
    if (hpc_ctx_create(&hctx) != HPC_STATUS_OK || hpc_ctx_set_threads(hctx, threads) != HPC_STATUS_OK) {
        fprintf(stderr, "dnnl_lstm: cannot create an Hpc context: %s\n", hpc_last_error());
        return 1;
    }
    for (size_t k = 0; k < sizeof SHAPES / sizeof SHAPES[0]; k++) run_shape(&SHAPES[k], threads, seconds);
    hpc_ctx_destroy(hctx);
    dnnl_stream_destroy(g_stream);
    dnnl_engine_destroy(g_engine);
    return 0;
}
