/* The kernel tables: every slot names the path it was written for, a borrowed one says why, and
 * the queries (hpc_kernel_table_entry, hpc_conv2d_algorithm, hpc_conv2d_workspace_size) report
 * what the selected path runs. The tables are inspected without running their kernels, so the
 * avx512 table is checked on any CPU. */
#include "testutil.h"
#include "core/kernel_table.h"

/* Every slot: its instance is the path's own (impl == path), none (null instance), or another
 * path's with a stand-in reason; openblas's GEMM is its own. */
static void check_table(hpc_isa isa, const char* simd) {
    const hpc_kernel_table* t = hpc_kernel_table_for(isa);
    int slots = 0;
#define CHECK_SLOT(slot, label)                                                                              \
    do {                                                                                                     \
        slots++;                                                                                             \
        const char* impl = t->slot##_impl;                                                                   \
        TU_CHECK(impl != NULL, "%s: %s has no impl name", t->name, #slot);                                   \
        if (!impl) break;                                                                                    \
        TU_CHECK((t->slot == NULL) == (strcmp(impl, "none") == 0), "%s: %s: impl '%s' vs instance %p",      \
                 t->name, #slot, impl, (const void*)t->slot);                                                \
        int own = strcmp(impl, simd) == 0 || strcmp(impl, t->name) == 0 || strcmp(impl, "none") == 0;        \
        if (own) TU_CHECK(t->slot##_stand_in == NULL, "%s: %s is its own, yet marked stand-in", t->name, #slot); \
        else TU_CHECK(t->slot##_stand_in && strlen(t->slot##_stand_in) > 10,                                  \
                      "%s: %s runs %s code without a stand-in reason", t->name, #slot, impl);                 \
    } while (0);
    HPC_KERNEL_FAMILIES(CHECK_SLOT)
#undef CHECK_SLOT
    TU_CHECK(slots == hpc_kernel_table_size(), "%d slots, size %d", slots, hpc_kernel_table_size());
    TU_CHECK(t->eltwise && t->loss && t->random && t->optim && t->pool && t->im2col && t->gemm,
             "%s: a family every path has is missing", t->name);
}

static void test_tables(void) {
    check_table(HPC_ISA_SCALAR, "scalar");
    check_table(HPC_ISA_AVX2, "avx2");
    check_table(HPC_ISA_AVX512, "avx512");
    TU_CHECK(hpc_kernel_table_for(HPC_ISA_SCALAR)->conv_direct == NULL, "scalar convolves through im2col + GEMM");
    int32_t ob = 0;
    hpc_isa_supported(HPC_ISA_OPENBLAS, &ob);
    if (ob) {
        const hpc_kernel_table* t = hpc_kernel_table_for(HPC_ISA_OPENBLAS);
        check_table(HPC_ISA_OPENBLAS, hpc_isa_name(t->simd));
        TU_CHECK(strcmp(t->gemm_impl, "openblas") == 0, "openblas GEMM: %s", t->gemm_impl);
    } else {
        printf("SKIP openblas table (not in this build)\n");
    }
}

static void test_entry_query(void) {
    hpc_isa isas[4];
    int n = tu_isas(isas);
    for (int ii = 0; ii < n; ii++) {
        hpc_ctx* ctx = tu_ctx(isas[ii], 1);
        const char *slot, *label, *impl, *stand_in;
        int conv_direct_seen = 0;
        for (int32_t i = 0; i < hpc_kernel_table_size(); i++) {
            TU_OK(hpc_kernel_table_entry(ctx, i, &slot, &label, &impl, &stand_in));
            TU_CHECK(strlen(slot) > 0 && strlen(label) > 0 && strlen(impl) > 0, "entry %d", i);
            if (strcmp(slot, "conv_direct") == 0) {
                conv_direct_seen = 1;
                if (isas[ii] == HPC_ISA_SCALAR) TU_CHECK(strcmp(impl, "none") == 0, "scalar conv_direct: %s", impl);
                if (isas[ii] == HPC_ISA_AVX2)
                    TU_CHECK(strcmp(impl, "avx2") == 0 && !stand_in, "avx2 conv_direct: %s", impl);
            }
        }
        TU_CHECK(conv_direct_seen, "%s: conv_direct listed", hpc_isa_name(isas[ii]));
        tu_expect_invalid(ctx, hpc_kernel_table_entry(ctx, hpc_kernel_table_size(), &slot, &label, &impl, &stand_in),
                          "index past the end", "index");
        tu_expect_invalid(ctx, hpc_kernel_table_entry(ctx, -1, &slot, &label, &impl, &stand_in), "negative index",
                          "index = -1");
        tu_expect_invalid(ctx, hpc_kernel_table_entry(ctx, 0, &slot, &label, NULL, &stand_in), "null impl", "impl");
        hpc_ctx_destroy(ctx);
    }
    const char *slot, *label, *impl, *stand_in;
    TU_CHECK(hpc_kernel_table_entry(NULL, 0, &slot, &label, &impl, &stand_in) == HPC_STATUS_INVALID_ARGUMENT,
             "null ctx");
}

/* LeNet's second layer: 64 x 32 x 14 x 14, 64 filters 5x5, pad 2. */
static hpc_conv2d_desc lenet2(void) {
    hpc_conv2d_desc d = {.n = 64, .c = 32, .h = 14, .w = 14, .k = 64, .r = 5, .s = 5, .stride_h = 1, .stride_w = 1,
                         .pad_h = 2, .pad_w = 2, .dilation_h = 1, .dilation_w = 1};
    return d;
}

static void test_conv_algorithm_query(void) {
    hpc_conv2d_desc d = lenet2();
    const char* name = NULL;
    int64_t ws = -1, col = 32 * 25 * 14 * 14 * 4;
    hpc_ctx* cs = tu_ctx(HPC_ISA_SCALAR, 1);
    TU_OK(hpc_conv2d_algorithm(cs, &d, HPC_CONV_FORWARD, HPC_ACT_RELU, col, &name));
    TU_CHECK(name && strcmp(name, "im2col + GEMM") == 0, "scalar forward: %s", name);
    TU_OK(hpc_conv2d_algorithm(cs, &d, HPC_CONV_BACKWARD_DATA, HPC_ACT_IDENTITY, col, &name));
    TU_CHECK(name && strcmp(name, "GEMM + col2im") == 0, "scalar backward-data: %s", name);
    TU_OK(hpc_conv2d_workspace_size(cs, &d, &ws));
    TU_CHECK(ws == col, "scalar workspace %lld, want %lld", (long long)ws, (long long)col);
    tu_expect_invalid(cs, hpc_conv2d_algorithm(cs, &d, (hpc_conv_direction)7, HPC_ACT_RELU, 0, &name), "bad direction",
                      "direction = 7");
    tu_expect_invalid(cs, hpc_conv2d_algorithm(cs, &d, HPC_CONV_FORWARD, HPC_ACT_RELU, -1, &name), "negative workspace",
                      "workspace_bytes = -1");
    tu_expect_invalid(cs, hpc_conv2d_algorithm(cs, &d, HPC_CONV_FORWARD, (hpc_activation)99, 0, &name), "bad act",
                      "act = 99");
    tu_expect_invalid(cs, hpc_conv2d_algorithm(cs, &d, HPC_CONV_FORWARD, HPC_ACT_RELU, 0, NULL), "null name", "name");
    /* The chunked weight gradient needs one whole im2col matrix: with less, the tiled GEMM. */
    hpc_conv2d_desc d1 = {.n = 8, .c = 1, .h = 28, .w = 28, .k = 32, .r = 5, .s = 5, .stride_h = 1, .stride_w = 1,
                          .pad_h = 2, .pad_w = 2, .dilation_h = 1, .dilation_w = 1};
    int64_t col1 = 25 * 28 * 28 * 4;
    TU_OK(hpc_conv2d_algorithm(cs, &d1, HPC_CONV_BACKWARD_WEIGHTS, HPC_ACT_IDENTITY, col1, &name));
    TU_CHECK(name && strstr(name, "filter chunks") != NULL, "scalar lenet1 wgrad: %s", name);
    TU_OK(hpc_conv2d_algorithm(cs, &d1, HPC_CONV_BACKWARD_WEIGHTS, HPC_ACT_IDENTITY, col1 - 4, &name));
    TU_CHECK(name && strcmp(name, "im2col + GEMM") == 0, "scalar lenet1 wgrad, small workspace: %s", name);
    hpc_ctx_destroy(cs);

    int32_t has_avx2 = 0;
    hpc_isa_supported(HPC_ISA_AVX2, &has_avx2);
    if (!has_avx2) {
        printf("SKIP avx2 algorithm choices (no AVX2 on this CPU)\n");
        return;
    }
    hpc_ctx* ca = tu_ctx(HPC_ISA_AVX2, 1);
    TU_OK(hpc_conv2d_algorithm(ca, &d, HPC_CONV_FORWARD, HPC_ACT_RELU, 0, &name));
    TU_CHECK(name && strstr(name, "8 output channels") != NULL, "avx2 lenet2 forward: %s", name);
    TU_OK(hpc_conv2d_algorithm(ca, &d1, HPC_CONV_FORWARD, HPC_ACT_RELU, 0, &name));
    TU_CHECK(name && strstr(name, "pixel-vectorised") != NULL, "avx2 lenet1 forward: %s", name);
    TU_OK(hpc_conv2d_algorithm(ca, &d, HPC_CONV_BACKWARD_DATA, HPC_ACT_IDENTITY, 0, &name));
    TU_CHECK(name && strstr(name, "transposed") != NULL, "avx2 lenet2 backward-data: %s", name);
    TU_OK(hpc_conv2d_algorithm(ca, &d, HPC_CONV_BACKWARD_WEIGHTS, HPC_ACT_IDENTITY, 0, &name));
    TU_CHECK(name && strstr(name, "8 filters") != NULL, "avx2 lenet2 wgrad: %s", name);
    /* Direct kernels stage in the context's memory: Conv2d then allocates nothing. */
    TU_OK(hpc_conv2d_workspace_size(ca, &d, &ws));
    TU_CHECK(ws == 0, "avx2 lenet2 workspace %lld", (long long)ws);
    /* The first layer's backward-data (one input channel: no 8-channel transposed convolution)
     * still takes GEMM + col2im, so its size is that algorithm's. */
    TU_OK(hpc_conv2d_workspace_size(ca, &d1, &ws));
    TU_CHECK(ws == col1, "avx2 lenet1 workspace %lld, want %lld", (long long)ws, (long long)col1);
    /* ... and runs them without one, the same as the scalar path up to rounding. */
    int64_t nx = d.n * d.c * d.h * d.w, nw = d.k * d.c * d.r * d.s, ny = d.n * d.k * d.h * d.w;
    float *x = tu_alloc(nx), *w = tu_alloc(nw), *y = tu_alloc(ny), *yr = tu_alloc(ny), *cw = tu_alloc(col / 4);
    tu_fill(x, nx, -1, 1);
    tu_fill(w, nw, -0.1f, 0.1f);
    TU_OK(hpc_conv2d_forward(ca, &d, x, w, NULL, HPC_ACT_RELU, y, NULL, 0));
    hpc_ctx* cs2 = tu_ctx(HPC_ISA_SCALAR, 1);
    TU_OK(hpc_conv2d_forward(cs2, &d, x, w, NULL, HPC_ACT_RELU, yr, cw, col));
    double worst = 0;
    for (int64_t i = 0; i < ny; i++) worst = fmax(worst, fabs((double)y[i] - yr[i]));
    TU_CHECK(worst < 1e-4, "avx2 without workspace vs scalar: %g", worst);
    free(x), free(w), free(y), free(yr), free(cw);
    hpc_ctx_destroy(cs2);
    hpc_ctx_destroy(ca);
}

int main(void) {
    test_tables();
    test_entry_query();
    test_conv_algorithm_query();
    return tu_finish("test_kernel_table");
}
