/* The eltwise, loss and random entry points split large inputs into fixed chunks run on the
 * context's threads: results must be bit-identical for 1, 2 and 3 threads on every path (the
 * chunking never depends on the thread count), and match the scalar path across chunk edges. */
#include "testutil.h"

#define ROWS 301
#define COLS 517 /* 155617 elements: several chunks of 32768, none aligned to a row */

typedef struct {
    float *y, *dx, *dl, *sm, *sb, *g, *gb, *u, *m, *d, *y1;
    float ce, mse, bce;
} outputs;

static void run_all(hpc_ctx* ctx, const float* x, const float* dy, const float* t01, const int32_t* lab, outputs* o) {
    int64_t n = (int64_t)ROWS * COLS;
    TU_OK(hpc_bias_act_forward(ctx, HPC_ACT_TANH, 0, ROWS, COLS, x, dy, o->y));
    TU_OK(hpc_bias_act_forward(ctx, HPC_ACT_SIGMOID, 0, 1, n, x, x, o->y1)); /* one long row, bias of n */
    TU_OK(hpc_act_backward(ctx, HPC_ACT_TANH, 0, n, x, o->y, dy, o->dx));
    TU_OK(hpc_softmax_cross_entropy(ctx, ROWS, COLS, x, COLS, lab, &o->ce, o->dl));
    TU_OK(hpc_softmax_forward(ctx, ROWS, COLS, x, o->sm));
    TU_OK(hpc_softmax_backward(ctx, ROWS, COLS, o->sm, dy, o->sb));
    TU_OK(hpc_mse_loss(ctx, n, x, dy, &o->mse, o->g));
    TU_OK(hpc_bce_logits_loss(ctx, n, x, t01, &o->bce, o->gb));
    TU_OK(hpc_rng_uniform(ctx, 9, 13, n, -1, 1, o->u));
    TU_OK(hpc_dropout_forward(ctx, 9, 13, n, 0.6f, x, o->m, o->d));
}

static void alloc_outputs(outputs* o) {
    int64_t n = (int64_t)ROWS * COLS;
    float** f[] = {&o->y, &o->dx, &o->dl, &o->sm, &o->sb, &o->g, &o->gb, &o->u, &o->m, &o->d, &o->y1};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) *f[i] = tu_alloc(n);
}

static void free_outputs(outputs* o) {
    float* f[] = {o->y, o->dx, o->dl, o->sm, o->sb, o->g, o->gb, o->u, o->m, o->d, o->y1};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) free(f[i]);
}

static int same(const float* a, const float* b) { return memcmp(a, b, (size_t)ROWS * COLS * sizeof(float)) == 0; }

static int close_all(const float* a, const float* b, double atol, double rtol) {
    for (int64_t i = 0; i < (int64_t)ROWS * COLS; i++)
        if (!tu_close(a[i], b[i], atol, rtol)) return 0;
    return 1;
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    int64_t n = (int64_t)ROWS * COLS;
    float* x = tu_alloc(n);
    float* dy = tu_alloc(n);
    float* t01 = tu_alloc(n);
    int32_t* lab = (int32_t*)malloc(ROWS * sizeof(int32_t));
    tu_fill(x, n, -5, 5);
    tu_fill(dy, n, -1, 1);
    tu_fill(t01, n, 0, 1);
    for (int i = 0; i < ROWS; i++) lab[i] = (int32_t)(tu_next() % COLS);

    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    outputs ref, base, o;
    alloc_outputs(&ref);
    alloc_outputs(&base);
    alloc_outputs(&o);
    hpc_ctx* sc = tu_ctx(HPC_ISA_SCALAR, 1);
    run_all(sc, x, dy, t01, lab, &ref);
    hpc_ctx_destroy(sc);
    for (int k = 0; k < nisa; k++) {
        const char* name = hpc_isa_name(isas[k]);
        hpc_ctx* c1 = tu_ctx(isas[k], 1);
        run_all(c1, x, dy, t01, lab, &base);
        hpc_ctx_destroy(c1);
        /* Against the scalar path, over every chunk edge. */
        TU_CHECK(close_all(base.y, ref.y, 1e-30, 4e-7) && close_all(base.y1, ref.y1, 1e-30, 4e-7), "%s forward", name);
        /* Each path differentiates through its own y: 1 - y^2 magnifies y's rounding near +-1. */
        TU_CHECK(close_all(base.dx, ref.dx, 1e-6, 4e-7), "%s backward", name);
        TU_CHECK(tu_close(base.ce, ref.ce, 0, 1e-6) && close_all(base.dl, ref.dl, 1e-12, 1e-5), "%s CE", name);
        TU_CHECK(close_all(base.sm, ref.sm, 1e-30, 1e-5) && close_all(base.sb, ref.sb, 1e-9, 1e-4), "%s softmax", name);
        TU_CHECK(tu_close(base.mse, ref.mse, 0, 1e-6) && tu_close(base.bce, ref.bce, 0, 1e-6), "%s losses", name);
        /* The gradients too, over every chunk: MSE's 2 d / n is one rounding; BCE's sigmoid(z) - t
         * cancels to a few ulp of 1, over n. */
        TU_CHECK(close_all(base.g, ref.g, 1e-12, 1e-6), "%s MSE gradient", name);
        TU_CHECK(close_all(base.gb, ref.gb, 2.5e-7 / (double)n, 4e-7), "%s BCE gradient", name);
        TU_CHECK(same(base.u, ref.u) && same(base.m, ref.m) && same(base.d, ref.d), "%s random", name);
        for (int32_t threads = 2; threads <= 3; threads++) {
            hpc_ctx* ct = tu_ctx(isas[k], threads);
            run_all(ct, x, dy, t01, lab, &o);
            hpc_ctx_destroy(ct);
            TU_CHECK(same(o.y, base.y) && same(o.y1, base.y1) && same(o.dx, base.dx), "%s %d threads: activations",
                     name, threads);
            TU_CHECK(o.ce == base.ce && same(o.dl, base.dl), "%s %d threads: CE %.9g vs %.9g", name, threads, o.ce,
                     base.ce);
            TU_CHECK(same(o.sm, base.sm) && same(o.sb, base.sb), "%s %d threads: softmax", name, threads);
            TU_CHECK(o.mse == base.mse && o.bce == base.bce && same(o.g, base.g) && same(o.gb, base.gb),
                     "%s %d threads: losses", name, threads);
            TU_CHECK(same(o.u, base.u) && same(o.m, base.m) && same(o.d, base.d), "%s %d threads: random", name, threads);
        }
    }
    free_outputs(&ref);
    free_outputs(&base);
    free_outputs(&o);
    free(x);
    free(dy);
    free(t01);
    free(lab);
    return tu_finish("test_eltwise_threads");
}
