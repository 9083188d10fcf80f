/* Embedding lookup and gradient: every path bit for bit against a naive loop, repeated indices
 * summed in index order for 1, 2 and 3 threads, beta 0 / 1, several positions per example, bad
 * indices and shapes. A path this CPU lacks is reported as SKIP. */
#include "testutil.h"

static void ref_backward(int64_t dim, int64_t n, const int32_t* idx, const float* dout, float* dtable) {
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < dim; j++) dtable[(int64_t)idx[i] * dim + j] += dout[i * dim + j];
}

/* Zipf-like indices (row 0 most frequent, many repeats) so rows collect several gradients. */
static void fill_indices(int32_t* idx, int64_t n, int64_t rows) {
    for (int64_t i = 0; i < n; i++) {
        uint64_t r = tu_next();
        idx[i] = (int32_t)((r % 4 == 0) ? (int64_t)(r >> 8) % rows : (int64_t)((r >> 8) % 7) % rows);
    }
}

static void test_paths_and_threads(void) {
    static const int64_t dims[] = {1, 3, 7, 8, 16, 17, 33, 64, 100};
    static const int64_t ns[] = {1, 5, 300, 3000};
    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    for (size_t di = 0; di < sizeof dims / sizeof dims[0]; di++)
        for (size_t ni = 0; ni < sizeof ns / sizeof ns[0]; ni++) {
            int64_t dim = dims[di], n = ns[ni], rows = 1 + (int64_t)(tu_next() % 300);
            float* table = tu_alloc(rows * dim);
            float* dout = tu_alloc(n * dim);
            float* out = tu_alloc(n * dim);
            float* want = tu_alloc(rows * dim);
            float* got = tu_alloc(rows * dim);
            int32_t* idx = (int32_t*)malloc((size_t)n * sizeof(int32_t));
            tu_fill(table, rows * dim, -1, 1);
            tu_fill(dout, n * dim, -1, 1);
            fill_indices(idx, n, rows);
            for (int k = 0; k < nisa; k++)
                for (int32_t threads = 1; threads <= 3; threads++) {
                    hpc_ctx* ctx = tu_ctx(isas[k], threads);
                    TU_OK(hpc_embedding_forward(ctx, rows, dim, table, n, idx, out));
                    int same = 1;
                    for (int64_t i = 0; i < n && same; i++)
                        same = memcmp(out + i * dim, table + (int64_t)idx[i] * dim, (size_t)dim * sizeof(float)) == 0;
                    TU_CHECK(same, "forward %s threads %d dim %lld n %lld", hpc_isa_name(isas[k]), threads,
                             (long long)dim, (long long)n);
                    /* beta = 0 over a table full of garbage (NaN included) must overwrite it. */
                    for (int64_t i = 0; i < rows * dim; i++) got[i] = NAN;
                    memset(want, 0, (size_t)(rows * dim) * sizeof(float));
                    ref_backward(dim, n, idx, dout, want);
                    TU_OK(hpc_embedding_backward(ctx, rows, dim, n, idx, dout, 0.0f, got));
                    TU_CHECK(memcmp(want, got, (size_t)(rows * dim) * sizeof(float)) == 0,
                             "backward beta 0 %s threads %d dim %lld n %lld", hpc_isa_name(isas[k]), threads,
                             (long long)dim, (long long)n);
                    /* beta = 1 adds a second pass onto the first. */
                    ref_backward(dim, n, idx, dout, want);
                    TU_OK(hpc_embedding_backward(ctx, rows, dim, n, idx, dout, 1.0f, got));
                    TU_CHECK(memcmp(want, got, (size_t)(rows * dim) * sizeof(float)) == 0,
                             "backward beta 1 %s threads %d dim %lld n %lld", hpc_isa_name(isas[k]), threads,
                             (long long)dim, (long long)n);
                    hpc_ctx_destroy(ctx);
                }
            free(table), free(dout), free(out), free(want), free(got), free(idx);
        }
}

/* The language model's shape: 100 examples x 3 positions of a 250 x 16 table, out = [100][48]. */
static void test_positions_layout(void) {
    enum { B = 100, P = 3, K = 250, D = 16 };
    float* table = tu_alloc(K * D);
    float* out = tu_alloc(B * P * D);
    int32_t idx[B * P];
    tu_fill(table, K * D, -1, 1);
    for (int i = 0; i < B * P; i++) idx[i] = (int32_t)(tu_next() % K);
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 2);
    TU_OK(hpc_embedding_forward(ctx, K, D, table, B * P, idx, out));
    int ok = 1;
    for (int b = 0; b < B; b++)
        for (int p = 0; p < P; p++)
            for (int j = 0; j < D; j++) ok &= out[b * P * D + p * D + j] == table[idx[b * P + p] * D + j];
    TU_CHECK(ok, "example b's position p occupies out[b][p * D .. p * D + D)");
    hpc_ctx_destroy(ctx);
    free(table), free(out);
}

static void test_bad_input(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    float table[4 * 2] = {0}, out[3 * 2], dout[3 * 2] = {1, 1, 1, 1, 1, 1}, dtable[4 * 2];
    int32_t too_big[3] = {0, 4, 1}, negative[3] = {0, 1, -1};
    for (int i = 0; i < 6; i++) out[i] = 7.0f;
    tu_expect_invalid(ctx, hpc_embedding_forward(ctx, 4, 2, table, 3, too_big, out), "index == rows", "indices[1] = 4");
    TU_CHECK(out[0] == 7.0f && out[5] == 7.0f, "a rejected batch leaves out untouched");
    tu_expect_invalid(ctx, hpc_embedding_forward(ctx, 4, 2, table, 3, negative, out), "negative index", "indices[2] = -1");
    for (int i = 0; i < 8; i++) dtable[i] = 5.0f;
    tu_expect_invalid(ctx, hpc_embedding_backward(ctx, 4, 2, 3, too_big, dout, 0.0f, dtable), "backward index",
                      "indices[1] = 4");
    TU_CHECK(dtable[0] == 5.0f && dtable[7] == 5.0f, "a rejected gradient leaves dtable untouched");
    tu_expect_invalid(ctx, hpc_embedding_backward(ctx, 4, 2, 3, negative, dout, 1.0f, dtable), "backward negative",
                      "indices[2] = -1");
    int32_t ok_idx[3] = {0, 1, 2};
    tu_expect_invalid(ctx, hpc_embedding_backward(ctx, 4, 2, 3, ok_idx, dout, 0.5f, dtable), "beta", "beta");
    tu_expect_invalid(ctx, hpc_embedding_forward(ctx, -1, 2, table, 3, ok_idx, out), "rows", "num_embeddings");
    tu_expect_invalid(ctx, hpc_embedding_forward(ctx, 4, -2, table, 3, ok_idx, out), "dim", "dim");
    tu_expect_invalid(ctx, hpc_embedding_forward(ctx, 4, 2, table, -3, ok_idx, out), "n", "n = -3");
    tu_expect_invalid(ctx, hpc_embedding_forward(ctx, 4, 2, table, 3, NULL, out), "null indices", "indices");
    tu_expect_invalid(ctx, hpc_embedding_forward(ctx, 4, 2, NULL, 3, ok_idx, out), "null table", "table");
    tu_expect_invalid(ctx, hpc_embedding_backward(ctx, 4, 2, 3, ok_idx, NULL, 0.0f, dtable), "null dout", "dout");
    tu_expect_invalid(ctx, hpc_embedding_forward(ctx, (int64_t)1 << 40, 2, table, 3, ok_idx, out), "too many rows",
                      "num_embeddings");
    TU_OK(hpc_embedding_forward(ctx, 4, 2, table, 0, NULL, NULL));
    TU_CHECK(hpc_embedding_forward(NULL, 4, 2, table, 3, ok_idx, out) == HPC_STATUS_INVALID_ARGUMENT, "null ctx");
    hpc_ctx_destroy(ctx);
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    tu_seed(12);
    tu_report_skipped_paths();
    test_paths_and_threads();
    test_positions_layout();
    test_bad_input();
    return tu_finish("test_embed");
}
