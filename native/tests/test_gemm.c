/* hpc_sgemm and hpc_sgemm_bias_act on every path against a double-precision reference: all
 * transposes, sizes 1..67 and a few beyond the cache blocks, padded leading dimensions, unaligned
 * pointers, alpha/beta special values, NaN in C under beta = 0, thread-count independence, and
 * every bad-input case. */
#include "testutil.h"
#include <float.h>

typedef struct gcase {
    int ta, tb;
    int64_t m, n, k, lda, ldb, ldc;
    float alpha, beta;
    int offset; /* 1: base pointers shifted by one float (never 16/32/64-byte aligned) */
} gcase;

typedef struct gbufs {
    float *a0, *b0, *c0, *cinit0, *bias0;
    float *a, *b, *c, *cinit, *bias;
} gbufs;

static const float k_alphas[] = {1.0f, 0.0f, -0.75f, 1.5f};
static const float k_betas[] = {0.0f, 1.0f, 0.5f, -2.0f};

static int64_t rows_of(int t, int64_t r, int64_t c) { return t ? c : r; }

static void alloc_case(const gcase* g, gbufs* s) {
    int64_t ar = rows_of(g->ta, g->m, g->k), br = rows_of(g->tb, g->k, g->n);
    int64_t na = ar * g->lda + 1, nb = br * g->ldb + 1, nc = g->m * g->ldc + 1;
    int64_t nbias = (g->m > g->n ? g->m : g->n) + 1;
    s->a0 = tu_alloc(na);
    s->b0 = tu_alloc(nb);
    s->c0 = tu_alloc(nc);
    s->cinit0 = tu_alloc(nc);
    s->bias0 = tu_alloc(nbias);
    tu_fill(s->a0, na, -1.0f, 1.0f);
    tu_fill(s->b0, nb, -1.0f, 1.0f);
    tu_fill(s->cinit0, nc, -1.0f, 1.0f);
    tu_fill(s->bias0, nbias, -1.0f, 1.0f);
    s->a = s->a0 + g->offset;
    s->b = s->b0 + g->offset;
    s->c = s->c0 + g->offset;
    s->cinit = s->cinit0 + g->offset;
    s->bias = s->bias0 + g->offset;
    /* beta = 0 must ignore C entirely: poison the block the product overwrites. */
    if (g->beta == 0.0f)
        for (int64_t i = 0; i < g->m; i++)
            for (int64_t j = 0; j < g->n; j++) s->cinit[i * g->ldc + j] = NAN;
}

static void free_case(gbufs* s) {
    free(s->a0);
    free(s->b0);
    free(s->c0);
    free(s->cinit0);
    free(s->bias0);
}

static double act_ref(hpc_activation act, double x) {
    switch (act) {
    case HPC_ACT_RELU: return x > 0 ? x : 0;
    case HPC_ACT_SIGMOID: return 1.0 / (1.0 + exp(-x));
    case HPC_ACT_TANH: return tanh(x);
    case HPC_ACT_STEP: return x >= 0 ? 1 : 0;
    case HPC_ACT_ARCTAN: return atan(x);
    case HPC_ACT_SOFTPLUS: return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
    default: return x;
    }
}

/* Compares c against the double reference; also checks that C's padding columns are untouched. */
static void check_case(const char* what, const gcase* g, const gbufs* s, hpc_bias_mode bm, hpc_activation act) {
    int reported = 0;
    for (int64_t i = 0; i < g->m; i++) {
        for (int64_t j = 0; j < g->ldc; j++) {
            float got = s->c[i * g->ldc + j];
            if (j >= g->n) {
                float want = s->cinit[i * g->ldc + j];
                if (!(memcmp(&got, &want, sizeof got) == 0) && !reported++)
                    TU_CHECK(0, "%s: padding C[%lld][%lld] modified", what, (long long)i, (long long)j);
                continue;
            }
            double acc = 0, mag = 0;
            for (int64_t p = 0; p < g->k; p++) {
                double av = g->ta ? s->a[p * g->lda + i] : s->a[i * g->lda + p];
                double bv = g->tb ? s->b[j * g->ldb + p] : s->b[p * g->ldb + j];
                acc += av * bv;
                mag += fabs(av * bv);
            }
            double want = g->alpha * acc, wmag = fabs(g->alpha) * mag;
            if (g->beta != 0.0f) {
                want += (double)g->beta * s->cinit[i * g->ldc + j];
                wmag += fabs((double)g->beta * s->cinit[i * g->ldc + j]);
            }
            if (bm == HPC_BIAS_ROW) want += s->bias[i], wmag += fabs(s->bias[i]);
            if (bm == HPC_BIAS_COL) want += s->bias[j], wmag += fabs(s->bias[j]);
            /* float accumulation over k terms: rounding errors of random sign grow like sqrt(k) ulps of
             * the magnitude sum (8 ulps * sqrt(k + 4)), so the large-k cases are held as tight as the
             * small ones (a k-linear bound would accept ~0.5% error at k = 2000). */
            double tol = 1e-6 + 8.0 * FLT_EPSILON / 2 * sqrt((double)(g->k + 4)) * wmag;
            /* step: a pre-activation within rounding of 0 may land on either side */
            if (act == HPC_ACT_STEP && fabs(want) <= tol) continue;
            want = act_ref(act, want);
            if (!tu_close(got, want, tol, 0) && !reported++)
                TU_CHECK(0,
                         "%s: ta=%d tb=%d m=%lld n=%lld k=%lld lda=%lld ldb=%lld ldc=%lld alpha=%g beta=%g off=%d bias=%d "
                         "act=%d: C[%lld][%lld] = %.9g, want %.9g",
                         what, g->ta, g->tb, (long long)g->m, (long long)g->n, (long long)g->k, (long long)g->lda,
                         (long long)g->ldb, (long long)g->ldc, g->alpha, g->beta, g->offset, (int)bm, (int)act,
                         (long long)i, (long long)j, got, want);
        }
    }
    tu_checks++;
}

static void make_case(gcase* g, int ta, int tb, int64_t m, int64_t n, int64_t k, int variant) {
    g->ta = ta;
    g->tb = tb;
    g->m = m;
    g->n = n;
    g->k = k;
    int64_t pad = variant % 3 == 0 ? 0 : 1 + (int64_t)(tu_next() % 5);
    g->lda = (ta ? m : k) + pad;
    g->ldb = (tb ? k : n) + (variant % 2 ? pad : 0);
    if (g->lda < 1) g->lda = 1; /* k = 0: BLAS still wants ld >= 1 */
    if (g->ldb < 1) g->ldb = 1;
    g->ldc = n + (variant % 4 == 1 ? 3 : 0);
    g->alpha = k_alphas[variant % 4];
    g->beta = k_betas[(variant / 4) % 4];
    g->offset = variant % 5 < 2;
}

static void run_case(hpc_ctx* ctx, const char* what, const gcase* g) {
    gbufs s;
    alloc_case(g, &s);
    memcpy(s.c0, s.cinit0, (size_t)(g->m * g->ldc + 1) * sizeof(float));
    hpc_status st = hpc_sgemm(ctx, (hpc_transpose)g->ta, (hpc_transpose)g->tb, g->m, g->n, g->k, g->alpha, s.a, g->lda,
                              s.b, g->ldb, g->beta, s.c, g->ldc);
    TU_CHECK(st == HPC_STATUS_OK, "%s: status %s: %s", what, hpc_status_name(st), hpc_ctx_last_error(ctx));
    check_case(what, g, &s, HPC_BIAS_NONE, HPC_ACT_IDENTITY);
    free_case(&s);
}

static void test_path(hpc_isa isa, int32_t threads) {
    char what[64];
    snprintf(what, sizeof what, "%s/%dt", hpc_isa_name(isa), threads);
    hpc_ctx* ctx = tu_ctx(isa, threads);
    tu_seed(1234 + (uint64_t)isa * 10 + (uint64_t)threads);
    int variant = 0;
    gcase g;
    for (int t = 0; t < 4; t++) {
        int ta = t & 1, tb = t >> 1;
        /* every size 1..67 in each of m, n, k, the other two random in 1..67 */
        for (int64_t s = 1; s <= 67; s++) {
            int64_t r1 = 1 + (int64_t)(tu_next() % 67), r2 = 1 + (int64_t)(tu_next() % 67);
            make_case(&g, ta, tb, s, r1, r2, variant++);
            run_case(ctx, what, &g);
            make_case(&g, ta, tb, r1, s, r2, variant++);
            run_case(ctx, what, &g);
            make_case(&g, ta, tb, r1, r2, s, variant++);
            run_case(ctx, what, &g);
        }
        /* beyond the register tiles and cache blocks (k > KC splits the beta handling; the odd m, n
         * give edge tiles in both directions and are large enough to be threaded) */
        static const int64_t big[][3] = {{97, 203, 150}, {300, 257, 611}, {1, 700, 300}, {700, 1, 300},
                                         {131, 67, 1031}, {5, 8200, 7}, {259, 45, 260}, {3, 3001, 400},
                                         {11, 700, 500}, {257, 16, 700}, {100, 7, 300}};
        for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
            make_case(&g, ta, tb, big[i][0], big[i][1], big[i][2], variant++);
            run_case(ctx, what, &g);
        }
    }
    hpc_ctx_destroy(ctx);
}

/* Same product on 1 and 2 threads (and on 3, oversubscribed): identical bits. */
static void test_thread_identity(hpc_isa isa) {
    static const int64_t shapes[][3] = {{97, 203, 150}, {512, 512, 512}, {1000, 37, 300}, {37, 1000, 300},
                                        {256, 784, 128}, {130, 130, 1100}, {3, 5001, 300}, {10, 2000, 300},
                                        {1000, 12, 500}, {1, 256, 784}};
    hpc_ctx* c1 = tu_ctx(isa, 1);
    hpc_ctx* c2 = tu_ctx(isa, 2);
    hpc_ctx* c3 = tu_ctx(isa, 3);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int t = 0; t < 4; t++) {
            gcase g;
            make_case(&g, t & 1, t >> 1, shapes[s][0], shapes[s][1], shapes[s][2], (int)s * 7 + t);
            g.beta = 0.5f;
            gbufs b;
            alloc_case(&g, &b);
            int64_t nc = g.m * g.ldc + 1;
            float* r[3];
            hpc_ctx* ctxs[3] = {c1, c2, c3};
            for (int i = 0; i < 3; i++) {
                r[i] = tu_alloc(nc);
                memcpy(r[i], b.cinit0, (size_t)nc * sizeof(float));
                TU_OK(hpc_sgemm(ctxs[i], (hpc_transpose)g.ta, (hpc_transpose)g.tb, g.m, g.n, g.k, g.alpha, b.a, g.lda, b.b,
                                g.ldb, g.beta, r[i] + g.offset, g.ldc));
            }
            TU_CHECK(memcmp(r[0], r[1], (size_t)nc * sizeof(float)) == 0, "%s: 1 vs 2 threads differ (%lld,%lld,%lld) t=%d",
                     hpc_isa_name(isa), (long long)g.m, (long long)g.n, (long long)g.k, t);
            TU_CHECK(memcmp(r[0], r[2], (size_t)nc * sizeof(float)) == 0, "%s: 1 vs 3 threads differ (%lld,%lld,%lld) t=%d",
                     hpc_isa_name(isa), (long long)g.m, (long long)g.n, (long long)g.k, t);
            for (int i = 0; i < 3; i++) free(r[i]);
            free_case(&b);
        }
    hpc_ctx_destroy(c1);
    hpc_ctx_destroy(c2);
    hpc_ctx_destroy(c3);
}

static void test_fused(hpc_isa isa, int32_t threads) {
    char what[80];
    hpc_ctx* ctx = tu_ctx(isa, threads);
    static const hpc_activation acts[] = {HPC_ACT_IDENTITY, HPC_ACT_RELU, HPC_ACT_SIGMOID, HPC_ACT_TANH, HPC_ACT_STEP,
                                          HPC_ACT_ARCTAN, HPC_ACT_SOFTPLUS};
    static const int64_t shapes[][3] = {{1, 1, 1}, {7, 19, 5}, {13, 33, 67}, {64, 10, 128}, {67, 67, 3},
                                        {6, 16, 9}, {97, 203, 150}, {3, 40, 0}};
    int variant = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int bm = 0; bm < 3; bm++)
            for (int a = 0; a < (int)(sizeof acts / sizeof acts[0]); a++) {
                gcase g;
                make_case(&g, variant & 1, (variant >> 1) & 1, shapes[s][0], shapes[s][1], shapes[s][2], variant);
                variant++;
                gbufs b;
                alloc_case(&g, &b);
                memcpy(b.c0, b.cinit0, (size_t)(g.m * g.ldc + 1) * sizeof(float));
                snprintf(what, sizeof what, "fused %s/%dt", hpc_isa_name(isa), threads);
                hpc_status st = hpc_sgemm_bias_act(ctx, (hpc_transpose)g.ta, (hpc_transpose)g.tb, g.m, g.n, g.k, g.alpha,
                                                   b.a, g.lda, b.b, g.ldb, g.beta, b.c, g.ldc, bm ? b.bias : NULL,
                                                   (hpc_bias_mode)bm, acts[a]);
                TU_CHECK(st == HPC_STATUS_OK, "%s: %s", what, hpc_ctx_last_error(ctx));
                check_case(what, &g, &b, (hpc_bias_mode)bm, acts[a]);
                free_case(&b);
            }
    hpc_ctx_destroy(ctx);
}


/* A tile finished in registers (full) and one finished through the generic edge path must agree
 * bit for bit: the top-left m x n corner of a product does not depend on how far C extends. */
static void test_edge_matches_full(hpc_isa isa) {
    hpc_ctx* ctx = tu_ctx(isa, 1);
    enum { M = 37, N = 70, K = 300 };
    static const int64_t sub[][2] = {{13, 21}, {12, 33}, {31, 64}, {36, 69}}; /* m > the sup path's rows */
    static const hpc_activation acts[] = {HPC_ACT_IDENTITY, HPC_ACT_RELU, HPC_ACT_SIGMOID};
    float* a = tu_alloc(M * K);
    float* b = tu_alloc(K * N);
    float* bias = tu_alloc(N);
    float* cfull = tu_alloc(M * N);
    float* csub = tu_alloc(M * N);
    float* cinit = tu_alloc(M * N);
    tu_fill(a, M * K, -1, 1);
    tu_fill(b, K * N, -1, 1);
    tu_fill(bias, N, -1, 1);
    tu_fill(cinit, M * N, -1, 1);
    for (int tb = 0; tb < 2; tb++)
        for (int bm = 0; bm < 3; bm++)
            for (int ai = 0; ai < 3; ai++)
                for (int bi = 0; bi < 2; bi++) {
                    float beta = bi ? 0.5f : 0.0f;
                    int64_t ldb = tb ? K : N;
                    memcpy(cfull, cinit, sizeof(float) * M * N);
                    TU_OK(hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, (hpc_transpose)tb, M, N, K, 1.25f, a, K, b, ldb, beta,
                                             cfull, N, bm ? bias : NULL, (hpc_bias_mode)bm, acts[ai]));
                    for (size_t s = 0; s < sizeof sub / sizeof sub[0]; s++) {
                        int64_t m = sub[s][0], n = sub[s][1];
                        memcpy(csub, cinit, sizeof(float) * M * N);
                        TU_OK(hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, (hpc_transpose)tb, m, n, K, 1.25f, a, K, b, ldb,
                                                 beta, csub, N, bm ? bias : NULL, (hpc_bias_mode)bm, acts[ai]));
                        int same = 1;
                        for (int64_t i = 0; i < m; i++)
                            same &= memcmp(csub + i * N, cfull + i * N, sizeof(float) * n) == 0;
                        TU_CHECK(same, "%s: %lldx%lld corner of %dx%d differs (tb %d, bias %d, act %d, beta %g)",
                                 hpc_isa_name(isa), (long long)m, (long long)n, M, N, tb, bm, (int)acts[ai], beta);
                    }
                }
    free(a);
    free(b);
    free(bias);
    free(cfull);
    free(csub);
    free(cinit);
    hpc_ctx_destroy(ctx);
}

static int msg_has(hpc_ctx* ctx, const char* word) { return strstr(hpc_ctx_last_error(ctx), word) != NULL; }

static void test_bad_input(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    float a[64], b[64], c[64];
    tu_fill(a, 64, -1, 1);
    tu_fill(b, 64, -1, 1);
#define BAD(word, call)                                                                                           \
    do {                                                                                                          \
        hpc_status st_ = (call);                                                                                  \
        TU_CHECK(st_ == HPC_STATUS_INVALID_ARGUMENT, "%s -> %s", #call, hpc_status_name(st_));                    \
        TU_CHECK(msg_has(ctx, word), "%s: message '%s' lacks '%s'", #call, hpc_ctx_last_error(ctx), word);      \
    } while (0)
    TU_CHECK(hpc_sgemm(NULL, HPC_NO_TRANS, HPC_NO_TRANS, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2) == HPC_STATUS_INVALID_ARGUMENT,
             "null ctx");
    TU_CHECK(strstr(hpc_last_error(), "ctx") != NULL, "null ctx message: %s", hpc_last_error());
    BAD("a is null", hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 2, 2, 1, NULL, 2, b, 2, 0, c, 2));
    BAD("b is null", hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 2, 2, 1, a, 2, NULL, 2, 0, c, 2));
    BAD("c is null", hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 2, 2, 1, a, 2, b, 2, 0, NULL, 2));
    BAD("m = -1", hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, -1, 2, 2, 1, a, 2, b, 2, 0, c, 2));
    BAD("n = -3", hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, -3, 2, 1, a, 2, b, 2, 0, c, 2));
    BAD("k = -2", hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 2, -2, 1, a, 2, b, 2, 0, c, 2));
    BAD("lda", hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 3, 4, 1, a, 3, b, 3, 0, c, 3));
    BAD("lda", hpc_sgemm(ctx, HPC_TRANS, HPC_NO_TRANS, 5, 3, 4, 1, a, 4, b, 3, 0, c, 3));
    BAD("ldb", hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 3, 4, 1, a, 4, b, 2, 0, c, 3));
    BAD("ldb", hpc_sgemm(ctx, HPC_NO_TRANS, HPC_TRANS, 2, 3, 4, 1, a, 4, b, 3, 0, c, 3));
    BAD("ldc", hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 3, 4, 1, a, 4, b, 3, 0, c, 2));
    BAD("trans_a", hpc_sgemm(ctx, (hpc_transpose)2, HPC_NO_TRANS, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2));
    BAD("trans_b", hpc_sgemm(ctx, HPC_NO_TRANS, (hpc_transpose)-1, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2));
    BAD("overflows", hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, INT64_MAX / 2, 4, 2, 1, a, 2, b, 4, 0, c, 4));
    BAD("overflows", hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 3, 2, 2, 1, a, INT64_MAX / 2, b, 2, 0, c, 2));
    /* fused entry point: its own enums and the bias pointer */
    BAD("bias_mode", hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2, a,
                                        (hpc_bias_mode)7, HPC_ACT_RELU));
    BAD("act", hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2, a, HPC_BIAS_ROW,
                                  (hpc_activation)-1));
    BAD("act", hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2, a, HPC_BIAS_ROW,
                                  (hpc_activation)1000));
    BAD("bias is null", hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2, NULL,
                                           HPC_BIAS_COL, HPC_ACT_RELU));
    BAD("lda", hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 3, 4, 1, a, 3, b, 3, 0, c, 3, NULL, HPC_BIAS_NONE,
                                  HPC_ACT_IDENTITY));
#undef BAD
    /* leaky ReLU takes a slope the fused call has no argument for: UNSUPPORTED, named */
    static const hpc_activation unfused[] = {HPC_ACT_LEAKY_RELU};
    for (int i = 0; i < 1; i++) {
        hpc_status st = hpc_sgemm_bias_act(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2, NULL,
                                           HPC_BIAS_NONE, unfused[i]);
        TU_CHECK(st == HPC_STATUS_UNSUPPORTED && msg_has(ctx, "not fused"), "act %d -> %s: %s", (int)unfused[i],
                 hpc_status_name(st), hpc_ctx_last_error(ctx));
    }
    /* no-ops: m or n = 0 touches nothing and needs no pointers */
    for (int i = 0; i < 64; i++) c[i] = 7.0f;
    TU_OK(hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 0, 3, 2, 1, NULL, 2, NULL, 3, 0, NULL, 3));
    TU_OK(hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 3, 0, 2, 1, a, 2, b, 1, 0, c, 1));
    TU_CHECK(c[0] == 7.0f, "n = 0 wrote C");
    TU_CHECK(hpc_ctx_last_error(ctx)[0] == '\0', "success left a message: %s", hpc_ctx_last_error(ctx));
    /* k = 0 scales C by beta and never reads A or B (null allowed); beta = 0 clears NaN */
    for (int i = 0; i < 6; i++) c[i] = (float)i;
    TU_OK(hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 3, 0, 1, NULL, 1, NULL, 3, 2.0f, c, 3));
    for (int i = 0; i < 6; i++) TU_CHECK(c[i] == 2.0f * i, "k = 0: c[%d] = %g", i, c[i]);
    c[0] = NAN;
    TU_OK(hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 3, 0, 1, NULL, 1, NULL, 3, 0.0f, c, 3));
    for (int i = 0; i < 6; i++) TU_CHECK(c[i] == 0.0f, "k = 0, beta = 0: c[%d] = %g", i, c[i]);
    /* alpha = 0: A and B not read (NaN there does not leak) */
    a[0] = NAN;
    for (int i = 0; i < 6; i++) c[i] = 1.0f;
    TU_OK(hpc_sgemm(ctx, HPC_NO_TRANS, HPC_NO_TRANS, 2, 3, 2, 0.0f, a, 2, b, 3, 3.0f, c, 3));
    for (int i = 0; i < 6; i++) TU_CHECK(c[i] == 3.0f, "alpha = 0: c[%d] = %g", i, c[i]);
    hpc_ctx_destroy(ctx);
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    hpc_isa isas[4];
    int n = tu_isas(isas);
    for (int i = 0; i < n; i++) {
        test_path(isas[i], 1);
        if (isas[i] != HPC_ISA_SCALAR) test_path(isas[i], 2);
        test_fused(isas[i], 1);
        test_fused(isas[i], 2);
        if (isas[i] == HPC_ISA_AVX2 || isas[i] == HPC_ISA_AVX512) {
            test_thread_identity(isas[i]);
            test_edge_matches_full(isas[i]);
        }
        printf("path %s done (%ld checks, %d failed so far)\n", hpc_isa_name(isas[i]), tu_checks, tu_failures);
    }
    test_bad_input();
    return tu_finish("test_gemm");
}
