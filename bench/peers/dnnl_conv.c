/*
 * dnnl_conv.c - oneDNN 2.6 peer for the convolution benchmarks of issue 5.
 *
 * For each shape and direction (forward, backward-data, backward-weights) it times:
 *   every implementation the primitive descriptor iterator offers with `any` memory formats
 *   (i.e. oneDNN's blocked layouts), except the reference ones; reorders are NOT timed: tensors
 *   are filled directly in whatever layout the primitive asked for (timing does not depend on
 *   values). impl = "default" is oneDNN's own first choice, "gemm" its im2col + GEMM path
 *   (impl_info_str contains "gemm"; plain NCHW/OIHW formats are tried if `any` offers none),
 *   "alt" any other. "oneDNN best" in RESULTS.md is the fastest of them per shape and op.
 * Threads come from OMP_NUM_THREADS (Debian's libdnnl uses OpenMP); bench/run.sh runs it per count.
 *
 * Output: one JSON object per line (peer, op, shape, impl, threads, median_ms, gflops, ...).
 * Usage: dnnl_conv [--quick] [--list]     --list also prints every implementation oneDNN offers.
 *        dnnl_conv --vs-hpc LIBHPCNN.so [SECONDS]
 *            interleaved: per shape and op, oneDNN's fastest implementation (a short timing of each
 *            picks it) and Hpc's hpc_conv2d_* (loaded from LIBHPCNN.so, on OMP_NUM_THREADS threads)
 *            are called in turn for SECONDS (default 3), so both meet the same phases of a noisy
 *            machine; prints a JSON line per side (impl "interleaved") with median and best.
 * Build: gcc -O2 -std=c11 -I../../native/include dnnl_conv.c -ldnnl -ldl -o dnnl_conv
 */
#define _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <dnnl.h>
#include <dlfcn.h>
#include "hpcnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(call)                                                                          \
    do {                                                                                     \
        dnnl_status_t s_ = (call);                                                           \
        if (s_ != dnnl_success) {                                                            \
            fprintf(stderr, "dnnl_conv: %s failed with status %d (line %d)\n", #call,        \
                    (int)s_, __LINE__);                                                      \
            exit(1);                                                                         \
        }                                                                                    \
    } while (0)

typedef struct {
    const char* name;
    int64_t n, c, h, w, k, r, pad;
} shape_t;

static const shape_t SHAPES[] = {
    {"lenet1_N64_C1_28x28_K32_5x5_p2", 64, 1, 28, 28, 32, 5, 2},
    {"lenet2_N64_C32_14x14_K64_5x5_p2", 64, 32, 14, 14, 64, 5, 2},
    {"conv3x3_N64_C64_32x32_K64_3x3_p1", 64, 64, 32, 32, 64, 3, 1},
};

typedef enum { OP_FWD, OP_BWD_DATA, OP_BWD_WEIGHTS } op_t;
static const char* OP_NAMES[] = {"forward", "backward_data", "backward_weights"};

static dnnl_engine_t g_engine;
static dnnl_stream_t g_stream;
static int g_quick = 0, g_list = 0;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

static const char* impl_name(const_dnnl_primitive_desc_t pd) {
    const char* s = "?";
    CHECK(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &s));
    return s;
}

/* Memory in the layout the primitive chose, filled with small pseudo-random values. */
static dnnl_memory_t make_mem(const_dnnl_primitive_desc_t pd, dnnl_query_t what, int index) {
    const dnnl_memory_desc_t* md = dnnl_primitive_desc_query_md(pd, what, index);
    dnnl_memory_t m;
    CHECK(dnnl_memory_create(&m, md, g_engine, DNNL_MEMORY_ALLOCATE));
    float* p = NULL;
    CHECK(dnnl_memory_get_data_handle(m, (void**)&p));
    size_t count = dnnl_memory_desc_get_size(md) / sizeof(float);
    uint32_t x = 12345u;
    for (size_t i = 0; i < count; ++i) {
        x = x * 1664525u + 1013904223u;
        p[i] = (float)((x >> 8) & 0xffff) / 65536.0f - 0.5f;
    }
    return m;
}

static void make_descs(const shape_t* s, dnnl_format_tag_t act_tag, dnnl_format_tag_t w_tag,
                       dnnl_memory_desc_t* src, dnnl_memory_desc_t* wei, dnnl_memory_desc_t* bias,
                       dnnl_memory_desc_t* dst) {
    int64_t oh = s->h + 2 * s->pad - s->r + 1, ow = s->w + 2 * s->pad - s->r + 1;
    dnnl_dims_t src_d = {s->n, s->c, s->h, s->w}, wei_d = {s->k, s->c, s->r, s->r},
                bias_d = {s->k}, dst_d = {s->n, s->k, oh, ow};
    CHECK(dnnl_memory_desc_init_by_tag(src, 4, src_d, dnnl_f32, act_tag));
    CHECK(dnnl_memory_desc_init_by_tag(wei, 4, wei_d, dnnl_f32, w_tag));
    CHECK(dnnl_memory_desc_init_by_tag(bias, 1, bias_d, dnnl_f32, dnnl_x));
    CHECK(dnnl_memory_desc_init_by_tag(dst, 4, dst_d, dnnl_f32, act_tag));
}

static void init_op_desc(const shape_t* s, op_t op, dnnl_format_tag_t act_tag,
                         dnnl_format_tag_t w_tag, dnnl_convolution_desc_t* cd) {
    dnnl_memory_desc_t src, wei, bias, dst;
    make_descs(s, act_tag, w_tag, &src, &wei, &bias, &dst);
    dnnl_dims_t strides = {1, 1}, pad = {s->pad, s->pad};
    switch (op) {
    case OP_FWD:
        CHECK(dnnl_convolution_forward_desc_init(cd, dnnl_forward_training, dnnl_convolution_direct,
                                                 &src, &wei, &bias, &dst, strides, pad, pad));
        break;
    case OP_BWD_DATA:
        CHECK(dnnl_convolution_backward_data_desc_init(cd, dnnl_convolution_direct, &src, &wei,
                                                       &dst, strides, pad, pad));
        break;
    case OP_BWD_WEIGHTS:
        CHECK(dnnl_convolution_backward_weights_desc_init(cd, dnnl_convolution_direct, &src, &wei,
                                                          &bias, &dst, strides, pad, pad));
        break;
    }
}

/* The forward pd a backward pd needs as its hint (same formats family). */
static dnnl_primitive_desc_t forward_hint(const shape_t* s, dnnl_format_tag_t act_tag,
                                          dnnl_format_tag_t w_tag) {
    dnnl_convolution_desc_t cd;
    init_op_desc(s, OP_FWD, act_tag, w_tag, &cd);
    dnnl_primitive_desc_t pd;
    CHECK(dnnl_primitive_desc_create(&pd, &cd, NULL, g_engine, NULL));
    return pd;
}

/* Every implementation oneDNN offers, first occurrence of each name, reference ones skipped
 * (they are correctness fallbacks, minutes per call). out[0] is oneDNN's own default pick. */
static int all_impls(const shape_t* s, op_t op, dnnl_format_tag_t act_tag, dnnl_format_tag_t w_tag,
                     dnnl_primitive_desc_t* out, int cap) {
    dnnl_convolution_desc_t cd;
    init_op_desc(s, op, act_tag, w_tag, &cd);
    dnnl_primitive_desc_t hint = op == OP_FWD ? NULL : forward_hint(s, act_tag, w_tag);
    dnnl_primitive_desc_iterator_t it;
    CHECK(dnnl_primitive_desc_iterator_create(&it, &cd, NULL, g_engine, hint));
    int n = 0;
    do {
        dnnl_primitive_desc_t pd = dnnl_primitive_desc_iterator_fetch(it);
        const char* name = impl_name(pd);
        int keep = n < cap && strncmp(name, "ref", 3) != 0;
        for (int i = 0; keep && i < n; ++i)
            if (!strcmp(impl_name(out[i]), name)) keep = 0;
        if (g_list)
            fprintf(stderr, "  [%s %s %s] %s%s\n", s->name, OP_NAMES[op],
                    act_tag == dnnl_format_tag_any ? "any" : "plain", name, keep ? "" : " (skipped)");
        if (keep) out[n++] = pd;
        else dnnl_primitive_desc_destroy(pd);
    } while (dnnl_primitive_desc_iterator_next(it) == dnnl_success);
    dnnl_primitive_desc_iterator_destroy(it);
    if (hint) dnnl_primitive_desc_destroy(hint);
    return n;
}

/* A primitive with its arguments, ready to execute. */
typedef struct {
    dnnl_primitive_t prim;
    dnnl_memory_t src, wei, bias, dst;
    dnnl_exec_arg_t args[4];
    int nargs;
} bound_t;

static void bind(op_t op, dnnl_primitive_desc_t pd, bound_t* b) {
    dnnl_memory_t src, wei, bias, dst;
    dnnl_exec_arg_t* args = b->args;
    switch (op) {
    case OP_FWD:
        src = make_mem(pd, dnnl_query_src_md, 0);
        wei = make_mem(pd, dnnl_query_weights_md, 0);
        bias = make_mem(pd, dnnl_query_weights_md, 1); /* the bias is weights #1 */
        dst = make_mem(pd, dnnl_query_dst_md, 0);
        args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, src};
        args[1] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, wei};
        args[2] = (dnnl_exec_arg_t){DNNL_ARG_BIAS, bias};
        args[3] = (dnnl_exec_arg_t){DNNL_ARG_DST, dst};
        break;
    case OP_BWD_DATA:
        src = make_mem(pd, dnnl_query_diff_src_md, 0);
        wei = make_mem(pd, dnnl_query_weights_md, 0);
        dst = make_mem(pd, dnnl_query_diff_dst_md, 0);
        bias = NULL;
        args[0] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_SRC, src};
        args[1] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, wei};
        args[2] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_DST, dst};
        break;
    default:
        src = make_mem(pd, dnnl_query_src_md, 0);
        wei = make_mem(pd, dnnl_query_diff_weights_md, 0);
        bias = make_mem(pd, dnnl_query_diff_weights_md, 1);
        dst = make_mem(pd, dnnl_query_diff_dst_md, 0);
        args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, src};
        args[1] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_WEIGHTS, wei};
        args[2] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_BIAS, bias};
        args[3] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_DST, dst};
        break;
    }
    b->nargs = op == OP_BWD_DATA ? 3 : 4;
    b->src = src, b->wei = wei, b->bias = bias, b->dst = dst;
    CHECK(dnnl_primitive_create(&b->prim, pd));
}

static void unbind(bound_t* b) {
    dnnl_primitive_destroy(b->prim);
    dnnl_memory_destroy(b->src);
    dnnl_memory_destroy(b->wei);
    if (b->bias) dnnl_memory_destroy(b->bias);
    dnnl_memory_destroy(b->dst);
}

static void execute(bound_t* b) {
    CHECK(dnnl_primitive_execute(b->prim, g_stream, b->nargs, b->args));
    CHECK(dnnl_stream_wait(g_stream));
}

static double shape_flops(const shape_t* s) {
    int64_t oh = s->h + 2 * s->pad - s->r + 1, ow = s->w + 2 * s->pad - s->r + 1;
    return 2.0 * (double)(s->n * s->k * s->c * s->r * s->r * oh * ow);
}

static void print_line(const char* peer, const shape_t* s, op_t op, const char* label, const char* impl,
                       const char* threads, double* t, int iters) {
    qsort(t, (size_t)iters, sizeof(double), cmp_double);
    double median = t[iters / 2], best = t[0], flops = shape_flops(s);
    printf("{\"peer\":\"%s\",\"version\":\"%d.%d.%d\",\"op\":\"%s\",\"shape\":\"%s\","
           "\"impl\":\"%s\",\"impl_name\":\"%s\",\"threads\":%s,\"iters\":%d,"
           "\"median_ms\":%.4f,\"min_ms\":%.4f,\"gflops\":%.2f,\"gflops_best\":%.2f}\n",
           peer, dnnl_version()->major, dnnl_version()->minor, dnnl_version()->patch, OP_NAMES[op], s->name, label,
           impl, threads, iters, median * 1e3, best * 1e3, flops / median * 1e-9, flops / best * 1e-9);
    fflush(stdout);
}

static void run(const shape_t* s, op_t op, const char* label, dnnl_primitive_desc_t pd,
                const char* threads) {
    bound_t b;
    bind(op, pd, &b);
    int warmup = g_quick ? 1 : 3;
    for (int i = 0; i < warmup; ++i) execute(&b);
    double budget = g_quick ? 0.15 : 1.5;
    int min_iters = g_quick ? 3 : 10, max_iters = 2000, iters = 0;
    double* t = malloc(sizeof(double) * (size_t)max_iters);
    double start = now_s();
    while (iters < max_iters && (iters < min_iters || now_s() - start < budget)) {
        double t0 = now_s();
        execute(&b);
        t[iters++] = now_s() - t0;
    }
    print_line("onednn", s, op, label, impl_name(pd), threads, t, iters);
    free(t);
    unbind(&b);
}

/* ---- Hpc, loaded from a libhpcnn.so, for the interleaved mode ---- */
typedef struct {
    hpc_status (*create)(hpc_ctx**);
    hpc_status (*threads)(hpc_ctx*, int32_t);
    hpc_status (*ws_size)(hpc_ctx*, const hpc_conv2d_desc*, int64_t*);
    hpc_status (*fwd)(hpc_ctx*, const hpc_conv2d_desc*, const float*, const float*, const float*, hpc_activation,
                      float*, void*, int64_t);
    hpc_status (*bd)(hpc_ctx*, const hpc_conv2d_desc*, const float*, const float*, float*, void*, int64_t);
    hpc_status (*bw)(hpc_ctx*, const hpc_conv2d_desc*, const float*, const float*, float*, float*, void*, int64_t);
    const char* (*err)(const hpc_ctx*);
    hpc_ctx* ctx;
} hpc_lib_t;

static void* hpc_sym(void* h, const char* name) {
    void* p = dlsym(h, name);
    if (!p) {
        fprintf(stderr, "dnnl_conv: %s\n", dlerror());
        exit(1);
    }
    return p;
}

static void hpc_load(hpc_lib_t* l, const char* path, int threads) {
    void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "dnnl_conv: %s\n", dlerror());
        exit(1);
    }
    l->create = hpc_sym(h, "hpc_ctx_create"), l->threads = hpc_sym(h, "hpc_ctx_set_threads");
    l->ws_size = hpc_sym(h, "hpc_conv2d_workspace_size");
    l->fwd = hpc_sym(h, "hpc_conv2d_forward"), l->bd = hpc_sym(h, "hpc_conv2d_backward_data");
    l->bw = hpc_sym(h, "hpc_conv2d_backward_weights"), l->err = hpc_sym(h, "hpc_ctx_last_error");
    if (l->create(&l->ctx) || l->threads(l->ctx, threads)) {
        fprintf(stderr, "dnnl_conv: cannot create a %d-thread Hpc context\n", threads);
        exit(1);
    }
}

static float* filled(int64_t n, uint32_t seed) {
    float* p = aligned_alloc(64, (size_t)((n * 4 + 63) / 64 * 64));
    for (int64_t i = 0; i < n; ++i) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (float)((seed >> 8) & 0xffff) / 65536.0f - 0.5f;
    }
    return p;
}

/* oneDNN's fastest implementation of (s, op), by the median of a short timing of each. */
static dnnl_primitive_desc_t fastest_impl(const shape_t* s, op_t op) {
    dnnl_primitive_desc_t pds[16], best = NULL;
    int n = all_impls(s, op, dnnl_format_tag_any, dnnl_format_tag_any, pds, 16);
    double best_t = 1e30;
    for (int i = 0; i < n; ++i) {
        bound_t b;
        bind(op, pds[i], &b);
        double t[7];
        for (int r = 0; r < 7; ++r) {
            double t0 = now_s();
            execute(&b);
            t[r] = now_s() - t0;
        }
        unbind(&b);
        qsort(t, 7, sizeof(double), cmp_double);
        if (t[3] < best_t) {
            if (best) dnnl_primitive_desc_destroy(best);
            best = pds[i], best_t = t[3];
        } else {
            dnnl_primitive_desc_destroy(pds[i]);
        }
    }
    return best;
}

static void run_interleaved(const shape_t* s, op_t op, hpc_lib_t* hpc, const char* threads, double seconds) {
    dnnl_primitive_desc_t pd = fastest_impl(s, op);
    bound_t b;
    bind(op, pd, &b);
    int64_t oh = s->h + 2 * s->pad - s->r + 1, ow = s->w + 2 * s->pad - s->r + 1;
    hpc_conv2d_desc d = {s->n, s->c, s->h, s->w, s->k, s->r, s->r, 1, 1, s->pad, s->pad, 1, 1};
    int64_t nx = s->n * s->c * s->h * s->w, nw = s->k * s->c * s->r * s->r, ny = s->n * s->k * oh * ow, wsb = 0;
    float *x = filled(nx, 1), *w = filled(nw, 2), *bias = filled(s->k, 3), *y = filled(ny, 4);
    float *dx = filled(nx, 5), *dw = filled(nw, 6), *db = filled(s->k, 7);
    if (hpc->ws_size(hpc->ctx, &d, &wsb)) {
        fprintf(stderr, "dnnl_conv: %s\n", hpc->err(hpc->ctx));
        exit(1);
    }
    void* ws = aligned_alloc(64, (size_t)((wsb + 64) / 64 * 64));
    enum { MAX_ITERS = 4000 };
    double *td = malloc(sizeof(double) * MAX_ITERS), *th = malloc(sizeof(double) * MAX_ITERS);
    int iters = 0, warmup = 2;
    double start = now_s();
    while (iters < MAX_ITERS && (iters < 10 || now_s() - start < seconds)) {
        double t0 = now_s();
        execute(&b);
        double t1 = now_s();
        hpc_status st = op == OP_FWD        ? hpc->fwd(hpc->ctx, &d, x, w, bias, HPC_ACT_IDENTITY, y, ws, wsb)
                        : op == OP_BWD_DATA ? hpc->bd(hpc->ctx, &d, y, w, dx, ws, wsb)
                                            : hpc->bw(hpc->ctx, &d, x, y, dw, db, ws, wsb);
        double t2 = now_s();
        if (st) {
            fprintf(stderr, "dnnl_conv: %s\n", hpc->err(hpc->ctx));
            exit(1);
        }
        if (warmup > 0) {
            warmup--;
            continue;
        }
        td[iters] = t1 - t0, th[iters] = t2 - t1;
        iters++;
    }
    print_line("onednn", s, op, "interleaved", impl_name(pd), threads, td, iters);
    print_line("hpc", s, op, "interleaved", "hpc_conv2d", threads, th, iters);
    free(td), free(th), free(x), free(w), free(bias), free(y), free(dx), free(dw), free(db), free(ws);
    unbind(&b);
    dnnl_primitive_desc_destroy(pd);
}

int main(int argc, char** argv) {
    const char* vs_hpc = NULL;
    double seconds = 3;
    for (int i = 1; i < argc; ++i) {
        if (!strcmp(argv[i], "--quick")) g_quick = 1;
        else if (!strcmp(argv[i], "--list")) g_list = 1;
        else if (!strcmp(argv[i], "--vs-hpc") && i + 1 < argc) {
            vs_hpc = argv[++i];
            if (i + 1 < argc && atof(argv[i + 1]) > 0) seconds = atof(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--quick] [--list] | --vs-hpc LIBHPCNN.so [SECONDS]\n", argv[0]);
            return 2;
        }
    }
    const char* threads = getenv("OMP_NUM_THREADS");
    if (!threads || !*threads) threads = "0";
    CHECK(dnnl_engine_create(&g_engine, dnnl_cpu, 0));
    CHECK(dnnl_stream_create(&g_stream, g_engine, dnnl_stream_default_flags));
    if (vs_hpc) {
        if (atoi(threads) < 1) {
            fprintf(stderr, "dnnl_conv: --vs-hpc needs OMP_NUM_THREADS set (Hpc runs on as many threads)\n");
            return 2;
        }
        hpc_lib_t hpc;
        hpc_load(&hpc, vs_hpc, atoi(threads));
        for (size_t si = 0; si < sizeof SHAPES / sizeof SHAPES[0]; ++si)
            for (int op = OP_FWD; op <= OP_BWD_WEIGHTS; ++op) run_interleaved(&SHAPES[si], op, &hpc, threads, seconds);
        dnnl_stream_destroy(g_stream);
        dnnl_engine_destroy(g_engine);
        return 0;
    }
    for (size_t si = 0; si < sizeof SHAPES / sizeof SHAPES[0]; ++si) {
        const shape_t* s = &SHAPES[si];
        for (int op = OP_FWD; op <= OP_BWD_WEIGHTS; ++op) {
            dnnl_primitive_desc_t pds[16];
            int n = all_impls(s, op, dnnl_format_tag_any, dnnl_format_tag_any, pds, 16);
            int has_gemm = 0;
            for (int i = 0; i < n; ++i) {
                const char* name = impl_name(pds[i]);
                int gemm = strstr(name, "gemm") != NULL;
                has_gemm |= gemm;
                run(s, op, i == 0 ? "default" : gemm ? "gemm" : "alt", pds[i], threads);
                dnnl_primitive_desc_destroy(pds[i]);
            }
            if (!has_gemm) { /* oneDNN's im2col path may only be offered for plain layouts */
                n = all_impls(s, op, dnnl_nchw, dnnl_oihw, pds, 16);
                for (int i = 0; i < n; ++i) {
                    if (strstr(impl_name(pds[i]), "gemm") && !has_gemm) {
                        run(s, op, "gemm", pds[i], threads);
                        has_gemm = 1;
                    }
                    dnnl_primitive_desc_destroy(pds[i]);
                }
            }
            if (!has_gemm)
                fprintf(stderr, "dnnl_conv: no gemm implementation for %s %s\n", s->name,
                        OP_NAMES[op]);
        }
    }
    dnnl_stream_destroy(g_stream);
    dnnl_engine_destroy(g_engine);
    return 0;
}
