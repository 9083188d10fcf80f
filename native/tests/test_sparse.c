/* Sparse CSR x dense: every path bit for bit against the scalar one and against naive dense loops,
 * 1/2/3 threads identical, touched rows, the weight gradient on those rows only, lazy SGD / Adam
 * equal to the dense updates on touched rows and leaving the others alone, malformed CSR. */
#include "testutil.h"

typedef struct {
    int64_t m, k, nnz;
    int64_t* off;
    int32_t* col;
    float* val;
} csr;

static csr random_csr(int64_t m, int64_t k, int64_t per_row) {
    csr a = {m, k, 0, malloc((size_t)(m + 1) * sizeof(int64_t)), NULL, NULL};
    a.col = malloc((size_t)(m * per_row + 1) * sizeof(int32_t));
    a.val = tu_alloc(m * per_row + 1);
    a.off[0] = 0;
    for (int64_t i = 0; i < m; i++) {
        int64_t len = (int64_t)(tu_next() % (uint64_t)(per_row + 1));
        for (int64_t p = 0; p < len; p++) {
            /* Skewed so that columns repeat across rows (and sometimes within one). */
            uint64_t r = tu_next();
            a.col[a.nnz] = (int32_t)(r % 3 == 0 ? (int64_t)(r >> 8) % k : (int64_t)((r >> 8) % 5) % k);
            a.val[a.nnz] = tu_uniform(-1, 1);
            a.nnz++;
        }
        a.off[i + 1] = a.nnz;
    }
    return a;
}

static void free_csr(csr* a) { free(a->off), free(a->col), free(a->val); }

static void test_products(void) {
    static const int64_t ns[] = {1, 2, 7, 8, 19, 64};
    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    for (size_t ni = 0; ni < sizeof ns / sizeof ns[0]; ni++)
        for (int implicit = 0; implicit <= 1; implicit++) {
            int64_t n = ns[ni], m = 1 + (int64_t)(tu_next() % 300), k = 1 + (int64_t)(tu_next() % 500);
            csr a = random_csr(m, k, 40);
            const float* vals = implicit ? NULL : a.val;
            float* w = tu_alloc(k * n);
            float* bias = tu_alloc(n);
            float* dy = tu_alloc(m * n);
            tu_fill(w, k * n, -1, 1), tu_fill(bias, n, -1, 1), tu_fill(dy, m * n, -1, 1);
            float *y_ref = tu_alloc(m * n), *y = tu_alloc(m * n);
            int32_t* rows = malloc((size_t)(a.nnz + 1) * sizeof(int32_t));
            float *g_ref = tu_alloc((a.nnz + 1) * n), *g = tu_alloc((a.nnz + 1) * n);
            int64_t count_ref = 0, count = 0;
            /* Naive: dense A^T dy in double, and the set of columns used. */
            double* dense = calloc((size_t)(k * n), sizeof(double));
            char* used = calloc((size_t)k, 1);
            for (int64_t i = 0; i < m; i++)
                for (int64_t p = a.off[i]; p < a.off[i + 1]; p++) {
                    used[a.col[p]] = 1;
                    for (int64_t j = 0; j < n; j++) dense[a.col[p] * n + j] += (vals ? vals[p] : 1.0) * dy[i * n + j];
                }
            hpc_ctx* sc = tu_ctx(HPC_ISA_SCALAR, 1);
            TU_OK(hpc_csr_matmul(sc, m, k, n, a.nnz, a.off, a.col, vals, w, bias, y_ref));
            TU_OK(hpc_csr_touched_rows(sc, m, k, a.nnz, a.off, a.col, rows, &count_ref));
            TU_OK(hpc_csr_weight_grad(sc, m, k, n, a.nnz, a.off, a.col, vals, dy, count_ref, rows, g_ref));
            int64_t nused = 0;
            for (int64_t c = 0; c < k; c++) nused += used[c];
            TU_CHECK(count_ref == nused, "touched rows: %lld, naive %lld", (long long)count_ref, (long long)nused);
            int ok = 1;
            for (int64_t t = 0; t < count_ref; t++) {
                ok &= used[rows[t]] && (t == 0 || rows[t] > rows[t - 1]);
                for (int64_t j = 0; j < n; j++) ok &= tu_close(g_ref[t * n + j], dense[rows[t] * n + j], 1e-4, 1e-4);
            }
            TU_CHECK(ok, "weight grad vs naive n %lld implicit %d", (long long)n, implicit);
            ok = 1;
            for (int64_t i = 0; i < m; i++)
                for (int64_t j = 0; j < n; j++) {
                    double s = bias[j];
                    for (int64_t p = a.off[i]; p < a.off[i + 1]; p++) s += (vals ? vals[p] : 1.0) * w[a.col[p] * n + j];
                    ok &= tu_close(y_ref[i * n + j], s, 1e-4, 1e-4);
                }
            TU_CHECK(ok, "forward vs naive n %lld implicit %d", (long long)n, implicit);
            hpc_ctx_destroy(sc);
            for (int q = 0; q < nisa; q++)
                for (int32_t threads = 1; threads <= 3; threads++) {
                    hpc_ctx* ctx = tu_ctx(isas[q], threads);
                    TU_OK(hpc_csr_matmul(ctx, m, k, n, a.nnz, a.off, a.col, vals, w, bias, y));
                    TU_CHECK(memcmp(y, y_ref, (size_t)(m * n) * sizeof(float)) == 0, "forward %s threads %d n %lld",
                             hpc_isa_name(isas[q]), threads, (long long)n);
                    TU_OK(hpc_csr_touched_rows(ctx, m, k, a.nnz, a.off, a.col, rows, &count));
                    TU_CHECK(count == count_ref, "touched count %s", hpc_isa_name(isas[q]));
                    TU_OK(hpc_csr_weight_grad(ctx, m, k, n, a.nnz, a.off, a.col, vals, dy, count, rows, g));
                    TU_CHECK(memcmp(g, g_ref, (size_t)(count * n) * sizeof(float)) == 0, "grad %s threads %d n %lld",
                             hpc_isa_name(isas[q]), threads, (long long)n);
                    hpc_ctx_destroy(ctx);
                }
            free(w), free(bias), free(dy), free(y_ref), free(y), free(rows), free(g_ref), free(g), free(dense), free(used);
            free_csr(&a);
        }
}

/* The row updates equal the dense update functions on each listed row and leave the others bit for bit. */
static void test_row_updates(void) {
    enum { K = 40, N = 5, C = 3 };
    int32_t rows[C] = {2, 17, 39};
    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    for (int q = 0; q < nisa; q++) {
        hpc_ctx* ctx = tu_ctx(isas[q], 1);
        float w[K * N], vel[K * N], m[K * N], v[K * N], g[C * N];
        tu_fill(w, K * N, -1, 1), tu_fill(vel, K * N, -1, 1), tu_fill(m, K * N, -1, 1), tu_fill(v, K * N, 0, 1);
        tu_fill(g, C * N, -1, 1);
        float w2[K * N], vel2[K * N], m2[K * N], v2[K * N];
        memcpy(w2, w, sizeof w), memcpy(vel2, vel, sizeof vel), memcpy(m2, m, sizeof m), memcpy(v2, v, sizeof v);
        TU_OK(hpc_sgd_rows_update(ctx, K, N, C, rows, 0.1f, 0.9f, 0.01f, w, g, vel));
        for (int t = 0; t < C; t++)
            TU_OK(hpc_sgd_update(ctx, N, 0.1f, 0.9f, 0.01f, 0.0f, w2 + rows[t] * N, g + t * N, vel2 + rows[t] * N));
        TU_CHECK(memcmp(w, w2, sizeof w) == 0 && memcmp(vel, vel2, sizeof vel) == 0, "sgd rows %s", hpc_isa_name(isas[q]));
        TU_OK(hpc_adam_rows_update(ctx, K, N, C, rows, 0.01f, 0.9f, 0.999f, 1e-8f, 0.0f, 7, w, g, m, v));
        for (int t = 0; t < C; t++)
            TU_OK(hpc_adam_update(ctx, N, 0.01f, 0.9f, 0.999f, 1e-8f, 0.0f, 0.0f, 7, w2 + rows[t] * N, g + t * N,
                                  m2 + rows[t] * N, v2 + rows[t] * N));
        TU_CHECK(memcmp(w, w2, sizeof w) == 0 && memcmp(m, m2, sizeof m) == 0 && memcmp(v, v2, sizeof v) == 0,
                 "adam rows %s", hpc_isa_name(isas[q]));
        hpc_ctx_destroy(ctx);
    }
}

static void test_bad_input(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    int64_t off[4] = {0, 2, 1, 3}, off_past[4] = {0, 1, 2, 9}, off_start[4] = {1, 1, 2, 3}, good[4] = {0, 1, 2, 3};
    int32_t cols[3] = {0, 1, 2}, bad_cols[3] = {0, 5, 1}, neg_cols[3] = {0, -1, 1};
    float w[4 * 2] = {0}, y[3 * 2], dy[3 * 2] = {0}, g[3 * 2];
    tu_expect_invalid(ctx, hpc_csr_matmul(ctx, 3, 4, 2, 3, off, cols, NULL, w, NULL, y), "non-monotone", "not monotone");
    tu_expect_invalid(ctx, hpc_csr_matmul(ctx, 3, 4, 2, 3, off_past, cols, NULL, w, NULL, y), "past the end", "past the end");
    tu_expect_invalid(ctx, hpc_csr_matmul(ctx, 3, 4, 2, 3, off_start, cols, NULL, w, NULL, y), "offsets[0]", "offsets[0] = 1");
    tu_expect_invalid(ctx, hpc_csr_matmul(ctx, 3, 4, 2, 3, good, bad_cols, NULL, w, NULL, y), "column >= k", "cols[1] = 5");
    tu_expect_invalid(ctx, hpc_csr_matmul(ctx, 3, 4, 2, 3, good, neg_cols, NULL, w, NULL, y), "negative column", "cols[1] = -1");
    tu_expect_invalid(ctx, hpc_csr_matmul(ctx, 3, 4, 2, 3, NULL, cols, NULL, w, NULL, y), "null offsets", "offsets");
    int32_t partial[2] = {0, 1}, unsorted[3] = {2, 1, 0};
    tu_expect_invalid(ctx, hpc_csr_weight_grad(ctx, 3, 4, 2, 3, good, cols, NULL, dy, 2, partial, g), "missing row",
                      "cols[2] = 2 is not among");
    tu_expect_invalid(ctx, hpc_csr_weight_grad(ctx, 3, 4, 2, 3, good, cols, NULL, dy, 3, unsorted, g), "unsorted rows",
                      "strictly increasing");
    float vel[4 * 2] = {0};
    tu_expect_invalid(ctx, hpc_sgd_rows_update(ctx, 4, 2, 3, bad_cols, 0.1f, 0.9f, 0.0f, w, g, vel), "row >= k", "rows[1] = 5");
    tu_expect_invalid(ctx, hpc_sgd_rows_update(ctx, 4, 2, 3, cols, 0.1f, 0.9f, 0.0f, w, g, NULL), "velocity", "velocity");
    tu_expect_invalid(ctx, hpc_adam_rows_update(ctx, 4, 2, 3, cols, 0.1f, 0.9f, 0.999f, 1e-8f, 0.0f, 0, w, g, vel, vel),
                      "step 0", "step = 0");
    hpc_ctx_destroy(ctx);
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    tu_seed(31);
    tu_report_skipped_paths();
    test_products();
    test_row_updates();
    test_bad_input();
    return tu_finish("test_sparse");
}
