/* Optimizer updates: every rule on every ISA path against the scalar reference, the reference
 * against a double-precision loop, hand-computed golden steps, and bad input. */
#include "testutil.h"

typedef enum {
    R_SGD,          /* hpc_sgd_update */
    R_CONVEX,       /* hpc_sgd_convex_momentum_update */
    R_NESTEROV,
    R_RMSPROP,
    R_ADAM,
    R_ADAMW
} rule;

typedef struct {
    const char* name;
    rule r;
    float lr, momentum, wd, l1;
    float alpha, eps;  /* RMSProp */
    float beta1, beta2; /* Adam; eps shared */
    int s1, s2;        /* which state arrays the case passes (the others are null) */
} rule_case;

static const rule_case CASES[] = {
    {"sgd_update momentum l2", R_SGD, 0.05f, 0.9f, 1e-3f, 0, 0, 0, 0, 0, 1, 0},
    {"sgd_update mu=0 no velocity", R_SGD, 0.05f, 0.0f, 1e-2f, 0, 0, 0, 0, 0, 0, 0},
    {"sgd_update mu=0 with velocity", R_SGD, 0.05f, 0.0f, 1e-2f, 0, 0, 0, 0, 0, 1, 0},
    {"sgd_update l1", R_SGD, 0.05f, 0.8f, 1e-3f, 2e-3f, 0, 0, 0, 0, 1, 0},
    {"sgd_update plain l1", R_SGD, 0.1f, 0.0f, 0.0f, 1e-2f, 0, 0, 0, 0, 0, 0},
    {"convex momentum", R_CONVEX, 0.5f, 0.9f, 1e-3f, 1e-3f, 0, 0, 0, 0, 1, 0},
    {"convex beta=0 no velocity", R_CONVEX, 0.1f, 0.0f, 1e-3f, 1e-3f, 0, 0, 0, 0, 0, 0},
    {"nesterov", R_NESTEROV, 0.05f, 0.9f, 1e-3f, 1e-3f, 0, 0, 0, 0, 1, 0},
    {"rmsprop", R_RMSPROP, 0.01f, 0.0f, 1e-3f, 1e-3f, 0.99f, 1e-8f, 0, 0, 1, 0},
    {"rmsprop momentum", R_RMSPROP, 0.01f, 0.9f, 1e-3f, 1e-3f, 0.9f, 1e-6f, 0, 0, 1, 1},
    {"adam", R_ADAM, 1e-3f, 0, 1e-2f, 1e-3f, 0, 1e-8f, 0.9f, 0.999f, 1, 1},
    {"adam beta1=0", R_ADAM, 1e-2f, 0, 0.0f, 0.0f, 0, 1e-6f, 0.0f, 0.99f, 1, 1},
    {"adamw", R_ADAMW, 1e-3f, 0, 1e-1f, 1e-3f, 0, 1e-8f, 0.9f, 0.999f, 1, 1},
};
#define NCASES ((int)(sizeof CASES / sizeof CASES[0]))

static hpc_status call(hpc_ctx* ctx, const rule_case* c, int64_t n, int64_t step, float* w, const float* g, float* s1,
                       float* s2) {
    switch (c->r) {
    case R_SGD: return hpc_sgd_update(ctx, n, c->lr, c->momentum, c->wd, c->l1, w, g, s1);
    case R_CONVEX: return hpc_sgd_convex_momentum_update(ctx, n, c->lr, c->momentum, c->wd, c->l1, w, g, s1);
    case R_NESTEROV: return hpc_nesterov_update(ctx, n, c->lr, c->momentum, c->wd, c->l1, w, g, s1);
    case R_RMSPROP:
        return hpc_rmsprop_update(ctx, n, c->lr, c->alpha, c->eps, c->momentum, c->wd, c->l1, w, g, s1, s2);
    case R_ADAM: return hpc_adam_update(ctx, n, c->lr, c->beta1, c->beta2, c->eps, c->wd, c->l1, step, w, g, s1, s2);
    case R_ADAMW: return hpc_adamw_update(ctx, n, c->lr, c->beta1, c->beta2, c->eps, c->wd, c->l1, step, w, g, s1, s2);
    }
    return HPC_STATUS_INTERNAL_ERROR;
}

/* The oracle: the documented equations in double, written independently of the library. */
static void reference(const rule_case* c, int64_t n, int64_t step, double* w, const float* g, double* s1, double* s2) {
    double lr = c->lr, mu = c->momentum, wd = c->r == R_ADAMW ? 0.0 : c->wd, l1 = c->l1;
    for (int64_t i = 0; i < n; i++) {
        double sign = w[i] > 0 ? 1.0 : w[i] < 0 ? -1.0 : 0.0;
        double gi = (double)g[i] + wd * w[i] + l1 * sign;
        switch (c->r) {
        case R_SGD:
            if (c->s1) {
                s1[i] = mu * s1[i] + gi;
                w[i] -= lr * s1[i];
            } else {
                w[i] -= lr * gi;
            }
            break;
        case R_CONVEX:
            if (c->s1) {
                s1[i] = mu * s1[i] - (1.0 - mu) * gi;
                w[i] += lr * s1[i];
            } else {
                w[i] -= lr * gi;
            }
            break;
        case R_NESTEROV:
            s1[i] = mu * s1[i] + gi;
            w[i] -= lr * (gi + mu * s1[i]);
            break;
        case R_RMSPROP: {
            s1[i] = c->alpha * s1[i] + (1.0 - c->alpha) * gi * gi;
            double d = gi / (sqrt(s1[i]) + c->eps);
            if (c->s2) {
                s2[i] = mu * s2[i] + d;
                d = s2[i];
            }
            w[i] -= lr * d;
            break;
        }
        case R_ADAM:
        case R_ADAMW: {
            double b1 = c->beta1, b2 = c->beta2;
            if (c->r == R_ADAMW) w[i] *= 1.0 - lr * c->wd;
            s1[i] = b1 * s1[i] + (1.0 - b1) * gi;
            s2[i] = b2 * s2[i] + (1.0 - b2) * gi * gi;
            double mhat = s1[i] / (1.0 - pow(b1, (double)step));
            double vhat = s2[i] / (1.0 - pow(b2, (double)step));
            w[i] -= lr * mhat / (sqrt(vhat) + c->eps);
            break;
        }
        }
    }
}

/* An array of n floats at a deliberately misaligned address (one float past a malloc'd block),
 * with a sentinel on each side so a kernel writing outside [0, n) is caught. */
#define SENTINEL 12345.0f
typedef struct {
    float* base;
    float* p;
} guarded;
static guarded galloc(int64_t n) {
    guarded g;
    g.base = tu_alloc(n + 3);
    g.p = g.base + 2;
    g.p[-1] = SENTINEL;
    g.p[n] = SENTINEL;
    return g;
}
static int gintact(guarded g, int64_t n) { return g.p[-1] == SENTINEL && g.p[n] == SENTINEL; }

static int max_report = 8;

/* Compares got (float) with want, reporting the first mismatch. */
static int close_f(const char* what, const char* cname, const char* path, int64_t n, const float* got,
                   const float* want_f, const double* want_d, double atol, double rtol) {
    for (int64_t i = 0; i < n; i++) {
        double want = want_f ? (double)want_f[i] : want_d[i];
        if (!tu_close(got[i], want, atol, rtol)) {
            if (max_report-- > 0)
                fprintf(stderr, "  %s [%s] %s n=%lld: %s[%lld] = %.9g, expected %.9g\n", cname, path, what,
                        (long long)n, what, (long long)i, got[i], want);
            return 0;
        }
    }
    return 1;
}

/* Three steps of one rule on n elements: path vs scalar (tight), scalar vs double (looser). */
static void check_case(const rule_case* c, hpc_ctx* scalar, hpc_ctx* path, const char* pname, int64_t n) {
    enum { STEPS = 3 };
    guarded w0 = galloc(n), g = galloc(n);
    guarded ws = galloc(n), s1s = galloc(n), s2s = galloc(n);
    guarded wp = galloc(n), s1p = galloc(n), s2p = galloc(n);
    double* wd = malloc(sizeof(double) * (size_t)n);
    double* s1d = calloc((size_t)n, sizeof(double));
    double* s2d = calloc((size_t)n, sizeof(double));
    tu_fill(w0.p, n, -1.0f, 1.0f);
    for (int64_t i = 0; i < n; i++) {
        ws.p[i] = wp.p[i] = w0.p[i];
        wd[i] = w0.p[i];
        s1s.p[i] = s1p.p[i] = s2s.p[i] = s2p.p[i] = 0.0f;
    }
    int ok = 1;
    for (int64_t t = 1; t <= STEPS && ok; t++) {
        /* |g| >= 0.01 keeps g' = g + weight_decay w + l1 sign(w) clear of cancellation: near
         * g' = 0, RMSProp and Adam divide a rounding error by ~eps and no two float orders agree.
         * One exact zero still checks the eps-only path. */
        for (int64_t i = 0; i < n; i++) g.p[i] = tu_uniform(0.01f, 1.0f) * (tu_next() & 1 ? 1.0f : -1.0f);
        if (n > 2) g.p[n / 2] = 0.0f;
        hpc_status a = call(scalar, c, n, t, ws.p, g.p, c->s1 ? s1s.p : NULL, c->s2 ? s2s.p : NULL);
        hpc_status b = call(path, c, n, t, wp.p, g.p, c->s1 ? s1p.p : NULL, c->s2 ? s2p.p : NULL);
        TU_CHECK(a == HPC_STATUS_OK && b == HPC_STATUS_OK, "%s n=%lld: %s / %s", c->name, (long long)n,
                 hpc_ctx_last_error(scalar), hpc_ctx_last_error(path));
        reference(c, n, t, wd, g.p, s1d, s2d);
        ok &= close_f("w", c->name, pname, n, wp.p, ws.p, NULL, 1e-6, 1e-5);
        ok &= close_f("w(ref)", c->name, "scalar", n, ws.p, NULL, wd, 1e-6, 1e-5);
        if (c->s1) {
            ok &= close_f("s1", c->name, pname, n, s1p.p, s1s.p, NULL, 1e-6, 1e-5);
            ok &= close_f("s1(ref)", c->name, "scalar", n, s1s.p, NULL, s1d, 1e-6, 1e-5);
        }
        if (c->s2) {
            ok &= close_f("s2", c->name, pname, n, s2p.p, s2s.p, NULL, 1e-6, 1e-5);
            ok &= close_f("s2(ref)", c->name, "scalar", n, s2s.p, NULL, s2d, 1e-6, 1e-5);
        }
    }
    TU_CHECK(ok, "%s on %s matches the scalar reference and the double loop, n=%lld", c->name, pname, (long long)n);
    TU_CHECK(gintact(wp, n) && gintact(s1p, n) && gintact(s2p, n) && gintact(g, n), "%s on %s stays in [0, n), n=%lld",
             c->name, pname, (long long)n);
    TU_CHECK(gintact(ws, n) && gintact(s1s, n) && gintact(s2s, n), "%s scalar stays in [0, n), n=%lld", c->name,
             (long long)n);
    free(w0.base), free(g.base), free(ws.base), free(s1s.base), free(s2s.base);
    free(wp.base), free(s1p.base), free(s2p.base), free(wd), free(s1d), free(s2d);
}

static void test_paths(void) {
    hpc_isa isas[4];
    int ni = tu_isas(isas);
    hpc_ctx* scalar = tu_ctx(HPC_ISA_SCALAR, 1);
    /* Say which paths ran: a CPU without AVX-512 cannot exercise that path here. */
    printf("test_optim: paths run:");
    for (int k = 0; k < ni; k++) printf(" %s", hpc_isa_name(isas[k]));
    printf("\n");
    for (int k = 0; k < ni; k++) {
        hpc_ctx* path = tu_ctx(isas[k], 1);
        for (int c = 0; c < NCASES; c++) {
            for (int64_t n = 1; n <= 67; n++) check_case(&CASES[c], scalar, path, hpc_isa_name(isas[k]), n);
            check_case(&CASES[c], scalar, path, hpc_isa_name(isas[k]), 100003);
        }
        hpc_ctx_destroy(path);
    }
    hpc_ctx_destroy(scalar);
}

/* Updates split across threads in slices: every rule, every path, bit-identical for 1, 2 and 3
 * threads on a size that splits (with a ragged tail). */
static void test_threads(void) {
    hpc_isa isas[4];
    int ni = tu_isas(isas);
    const int64_t n = 200003;
    float *g = tu_alloc(n), *w0 = tu_alloc(n), *s10 = tu_alloc(n), *s20 = tu_alloc(n);
    tu_fill(g, n, -1, 1);
    tu_fill(w0, n, -1, 1);
    tu_fill(s10, n, 0, 1);
    tu_fill(s20, n, 0, 1);
    float *w[3], *s1[3], *s2[3];
    for (int t = 0; t < 3; t++) w[t] = tu_alloc(n), s1[t] = tu_alloc(n), s2[t] = tu_alloc(n);
    for (int k = 0; k < ni; k++)
        for (int c = 0; c < NCASES; c++) {
            for (int t = 0; t < 3; t++) {
                hpc_ctx* ctx = tu_ctx(isas[k], t + 1);
                memcpy(w[t], w0, sizeof(float) * n);
                memcpy(s1[t], s10, sizeof(float) * n);
                memcpy(s2[t], s20, sizeof(float) * n);
                for (int64_t step = 1; step <= 2; step++)
                    TU_CHECK(call(ctx, &CASES[c], n, step, w[t], g, s1[t], s2[t]) == HPC_STATUS_OK, "%s %s: %s",
                             CASES[c].name, hpc_isa_name(isas[k]), hpc_ctx_last_error(ctx));
                hpc_ctx_destroy(ctx);
            }
            for (int t = 1; t < 3; t++)
                TU_CHECK(memcmp(w[0], w[t], sizeof(float) * n) == 0 && memcmp(s1[0], s1[t], sizeof(float) * n) == 0 &&
                             memcmp(s2[0], s2[t], sizeof(float) * n) == 0,
                         "%s %s: 1 and %d threads differ", CASES[c].name, hpc_isa_name(isas[k]), t + 1);
        }
    for (int t = 0; t < 3; t++) free(w[t]), free(s1[t]), free(s2[t]);
    free(g), free(w0), free(s10), free(s20);
}

/* One float so a golden check reads w after each call. */
typedef struct {
    float w, g, s1, s2;
} cell;

static void golden(void) {
    hpc_isa isas[4];
    int ni = tu_isas(isas);
    for (int k = 0; k < ni; k++) {
        hpc_ctx* ctx = tu_ctx(isas[k], 1);
        const char* p = hpc_isa_name(isas[k]);
        cell c;

        /* Seed 002 eq. 83: w_{9,6} = -0.07 - 0.01 * -0.07962191 = -0.069203781 (plain SGD). */
        c = (cell){-0.07f, -0.07962191f, 0, 0};
        TU_OK(hpc_sgd_update(ctx, 1, 0.01f, 0.0f, 0.0f, 0, &c.w, &c.g, NULL));
        TU_CHECK(tu_close(c.w, -0.069203781, 1e-8, 0), "[%s] seed 002 eq. 83: %.9g", p, c.w);
        /* Seed 002 eq. 38: w_{7,5} = -0.09 - 0.2 * -0.0055671 = -0.08888658. */
        c = (cell){-0.09f, -0.0055671f, 0, 0};
        TU_OK(hpc_sgd_update(ctx, 1, 0.2f, 0.0f, 0.0f, 0.0f, &c.w, &c.g, NULL));
        TU_CHECK(tu_close(c.w, -0.08888658, 1e-8, 0), "[%s] seed 002 eq. 38: %.9g", p, c.w);

        /* Classic momentum, L2: g' = 0.5 + 0.1 * 1 = 0.6, v = 0.6, w = 0.94; then
         * g' = 0.5 + 0.094 = 0.594, v = 0.54 + 0.594 = 1.134, w = 0.94 - 0.1134 = 0.8266. */
        c = (cell){1.0f, 0.5f, 0, 0};
        TU_OK(hpc_sgd_update(ctx, 1, 0.1f, 0.9f, 0.1f, 0, &c.w, &c.g, &c.s1));
        TU_CHECK(tu_close(c.w, 0.94, 1e-6, 0) && tu_close(c.s1, 0.6, 1e-6, 0), "[%s] momentum step 1: %g %g", p, c.w, c.s1);
        TU_OK(hpc_sgd_update(ctx, 1, 0.1f, 0.9f, 0.1f, 0, &c.w, &c.g, &c.s1));
        TU_CHECK(tu_close(c.w, 0.8266, 1e-6, 0) && tu_close(c.s1, 1.134, 1e-6, 0), "[%s] momentum step 2: %g %g", p, c.w,
                 c.s1);

        /* L1 pulls toward 0: w = -2, g' = 0.5 + 0.25 * sign(-2) = 0.25, w = -2 - 0.1 * 0.25 = -2.025;
         * at w = 0 the penalty is 0 (sign(0) = 0): w = -0.1 * 0.5 = -0.05. */
        c = (cell){-2.0f, 0.5f, 0, 0};
        TU_OK(hpc_sgd_update(ctx, 1, 0.1f, 0.0f, 0.0f, 0.25f, &c.w, &c.g, NULL));
        TU_CHECK(tu_close(c.w, -2.025, 1e-6, 0), "[%s] L1 step: %g", p, c.w);
        c = (cell){0.0f, 0.5f, 0, 0};
        TU_OK(hpc_sgd_update(ctx, 1, 0.1f, 0.0f, 0.0f, 0.25f, &c.w, &c.g, NULL));
        TU_CHECK(tu_close(c.w, -0.05, 1e-7, 0), "[%s] L1 at 0: %g", p, c.w);

        /* Seed 001 14.3 convex form, kappa = 0.1, beta = 0.9, g = 0.5: V = -0.05, W = 0.995;
         * V = -0.045 - 0.05 = -0.095, W = 0.995 - 0.0095 = 0.9855. Downhill both times. */
        c = (cell){1.0f, 0.5f, 0, 0};
        TU_OK(hpc_sgd_convex_momentum_update(ctx, 1, 0.1f, 0.9f, 0.0f, 0.0f, &c.w, &c.g, &c.s1));
        TU_CHECK(tu_close(c.w, 0.995, 1e-7, 0) && tu_close(c.s1, -0.05, 1e-7, 0), "[%s] convex 1: %g %g", p, c.w, c.s1);
        TU_OK(hpc_sgd_convex_momentum_update(ctx, 1, 0.1f, 0.9f, 0.0f, 0.0f, &c.w, &c.g, &c.s1));
        TU_CHECK(tu_close(c.w, 0.9855, 1e-7, 0) && tu_close(c.s1, -0.095, 1e-7, 0), "[%s] convex 2: %g %g", p, c.w, c.s1);

        /* Nesterov, lr 0.1, mu 0.9, g = 0.5: v = 0.5, w = 1 - 0.1 (0.5 + 0.45) = 0.905;
         * v = 0.95, w = 0.905 - 0.1 (0.5 + 0.855) = 0.7695. */
        c = (cell){1.0f, 0.5f, 0, 0};
        TU_OK(hpc_nesterov_update(ctx, 1, 0.1f, 0.9f, 0.0f, 0.0f, &c.w, &c.g, &c.s1));
        TU_CHECK(tu_close(c.w, 0.905, 1e-6, 0), "[%s] nesterov 1: %g", p, c.w);
        TU_OK(hpc_nesterov_update(ctx, 1, 0.1f, 0.9f, 0.0f, 0.0f, &c.w, &c.g, &c.s1));
        TU_CHECK(tu_close(c.w, 0.7695, 1e-6, 0), "[%s] nesterov 2: %g", p, c.w);

        /* RMSProp lr 0.01, alpha 0.99, g = 0.5: s = 0.0025, d = 0.5 / 0.05 = 10, w = 0.9;
         * s = 0.004975, d = 0.5 / 0.07053368 = 7.0888120, w = 0.82911188. With momentum 0.9 the
         * second step is b = 9 + 7.0888120, w = 0.9 - 0.16088812 = 0.73911188. */
        c = (cell){1.0f, 0.5f, 0, 0};
        TU_OK(hpc_rmsprop_update(ctx, 1, 0.01f, 0.99f, 1e-8f, 0.0f, 0.0f, 0.0f, &c.w, &c.g, &c.s1, NULL));
        TU_CHECK(tu_close(c.w, 0.9, 1e-6, 0) && tu_close(c.s1, 0.0025, 1e-8, 0), "[%s] rmsprop 1: %g", p, c.w);
        TU_OK(hpc_rmsprop_update(ctx, 1, 0.01f, 0.99f, 1e-8f, 0.0f, 0.0f, 0.0f, &c.w, &c.g, &c.s1, NULL));
        TU_CHECK(tu_close(c.w, 0.82911188, 1e-6, 0), "[%s] rmsprop 2: %.8f", p, c.w);
        c = (cell){1.0f, 0.5f, 0, 0};
        TU_OK(hpc_rmsprop_update(ctx, 1, 0.01f, 0.99f, 1e-8f, 0.9f, 0.0f, 0.0f, &c.w, &c.g, &c.s1, &c.s2));
        TU_OK(hpc_rmsprop_update(ctx, 1, 0.01f, 0.99f, 1e-8f, 0.9f, 0.0f, 0.0f, &c.w, &c.g, &c.s1, &c.s2));
        TU_CHECK(tu_close(c.w, 0.73911188, 1e-6, 0) && tu_close(c.s2, 16.088812, 1e-5, 0), "[%s] rmsprop mom 2: %.8f",
                 p, c.w);

        /* Adam's first steps move each weight by lr * sign(g): the bias correction makes
         * m_hat = g and v_hat = g^2 while the gradient is constant. */
        float w[4] = {1.0f, -1.0f, 0.25f, 3.0f}, g[4] = {0.5f, -3.0f, 1e-3f, -40.0f}, m[4] = {0}, v[4] = {0};
        for (int t = 1; t <= 2; t++) TU_OK(hpc_adam_update(ctx, 4, 1e-3f, 0.9f, 0.999f, 1e-8f, 0, 0, t, w, g, m, v));
        TU_CHECK(tu_close(w[0], 0.998, 1e-6, 0) && tu_close(w[1], -0.998, 1e-6, 0) && tu_close(w[2], 0.248, 1e-6, 0) &&
                     tu_close(w[3], 3.002, 1e-6, 0),
                 "[%s] adam moves by lr*sign(g): %g %g %g %g", p, w[0], w[1], w[2], w[3]);
        /* A reversed gradient: g = 0.5 then -0.5: m = 0.05 then -0.005, v = 0.00025 then 0.00049975;
         * m_hat = -0.005 / 0.19 = -0.0263158, v_hat = 0.00049975 / 0.001999 = 0.25,
         * w = 0.999 + 0.001 * 0.0263158 / 0.5 = 0.99905263. */
        c = (cell){1.0f, 0.5f, 0, 0};
        TU_OK(hpc_adam_update(ctx, 1, 1e-3f, 0.9f, 0.999f, 1e-8f, 0, 0, 1, &c.w, &c.g, &c.s1, &c.s2));
        c.g = -0.5f;
        TU_OK(hpc_adam_update(ctx, 1, 1e-3f, 0.9f, 0.999f, 1e-8f, 0, 0, 2, &c.w, &c.g, &c.s1, &c.s2));
        TU_CHECK(tu_close(c.w, 0.99905263, 2e-7, 0) && tu_close(c.s1, -0.005, 1e-8, 0) &&
                     tu_close(c.s2, 0.00049975, 1e-8, 0),
                 "[%s] adam reversal: %.8f %g %g", p, c.w, c.s1, c.s2);
        /* AdamW decouples the decay: w = 1 * (1 - 0.01 * 0.1) - 0.01 * sign(0.5) = 0.989. Adam with
         * the same weight_decay couples it (g' = 0.6) and still moves by exactly lr: 0.99. */
        c = (cell){1.0f, 0.5f, 0, 0};
        TU_OK(hpc_adamw_update(ctx, 1, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, 0, 1, &c.w, &c.g, &c.s1, &c.s2));
        TU_CHECK(tu_close(c.w, 0.989, 1e-6, 0), "[%s] adamw: %g", p, c.w);
        c = (cell){1.0f, 0.5f, 0, 0};
        TU_OK(hpc_adam_update(ctx, 1, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, 0, 1, &c.w, &c.g, &c.s1, &c.s2));
        TU_CHECK(tu_close(c.w, 0.99, 1e-6, 0) && tu_close(c.s1, 0.06, 1e-7, 0), "[%s] adam coupled L2: %g %g", p, c.w,
                 c.s1);
        hpc_ctx_destroy(ctx);
    }
}

/* st is INVALID_ARGUMENT and the message holds every one of the given fragments. */
#define EXPECT_BAD(ctx, call_, ...)                                                                    \
    do {                                                                                               \
        hpc_status st_ = (call_);                                                                      \
        const char* frags_[] = {__VA_ARGS__};                                                          \
        const char* msg_ = (ctx) ? hpc_ctx_last_error(ctx) : hpc_last_error();                        \
        int has_ = 1;                                                                                  \
        for (size_t f_ = 0; f_ < sizeof frags_ / sizeof frags_[0]; f_++) has_ &= strstr(msg_, frags_[f_]) != NULL; \
        TU_CHECK(st_ == HPC_STATUS_INVALID_ARGUMENT && has_, "%s -> %s: \"%s\"", #call_,                 \
                 hpc_status_name(st_), msg_);                                                          \
    } while (0)

static void bad_input(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    float w[8] = {1, 2, 3, 4, 5, 6, 7, 8}, g[8] = {0}, s1[8] = {0}, s2[8] = {0};
    float nan = NAN;

    /* hpc_sgd_update */
    EXPECT_BAD(NULL, hpc_sgd_update(NULL, 8, 0.1f, 0.9f, 0, 0, w, g, s1), "ctx");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, -1, 0.1f, 0.9f, 0, 0, w, g, s1), "hpc_sgd_update", "n = -1");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, nan, 0.9f, 0, 0, w, g, s1), "lr = nan");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, -0.1f, 0.9f, 0, 0, w, g, s1), "lr = -0.1");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, INFINITY, 0.9f, 0, 0, w, g, s1), "lr = inf");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, 0.1f, 1.0f, 0, 0, w, g, s1), "momentum = 1", "[0, 1)");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, 0.1f, -0.5f, 0, 0, w, g, s1), "momentum = -0.5");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, 0.1f, nan, 0, 0, w, g, s1), "momentum = nan");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, 0.1f, 0.9f, nan, 0, w, g, s1), "weight_decay = nan");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, 0.1f, 0.9f, -1e-4f, 0, w, g, s1), "weight_decay = -0.0001");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, 0.1f, 0.9f, 0, 0, NULL, g, s1), "w is null");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, 0.1f, 0.9f, 0, 0, w, NULL, s1), "grad is null");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, 0.1f, 0.9f, 0, 0, w, g, NULL), "velocity is null", "momentum = 0.9");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, 0.1f, 0.9f, 0, 0, w, w, s1), "w and grad overlap");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, 0.1f, 0.9f, 0, 0, w, g, w + 7), "w and velocity overlap");
    /* The failed calls left w alone. */
    TU_CHECK(w[0] == 1 && w[7] == 8, "no partial update on bad input");
    /* Allowed: momentum 0 without velocity, n = 0 with null arrays, adjacent (touching) arrays. */
    TU_OK(hpc_sgd_update(ctx, 4, 0.1f, 0.0f, 0, 0, w, g, NULL));
    TU_OK(hpc_sgd_update(ctx, 0, 0.1f, 0.9f, 0, 0, NULL, NULL, NULL));
    TU_OK(hpc_sgd_update(ctx, 4, 0.1f, 0.9f, 0, 0, w, w + 4, s1));
    TU_CHECK(strcmp(hpc_ctx_last_error(ctx), "") == 0, "success clears the message");
    /* Hyper-parameters are checked even when n = 0. */
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 0, nan, 0.9f, 0, 0, NULL, NULL, NULL), "lr = nan");

    /* the other SGD forms */
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, 0.1f, 0.9f, 0, nan, w, g, s1), "hpc_sgd_update", "l1 = nan");
    EXPECT_BAD(ctx, hpc_sgd_update(ctx, 8, 0.1f, 0.9f, 0, -1.0f, w, g, s1), "l1 = -1");
    EXPECT_BAD(ctx, hpc_sgd_convex_momentum_update(ctx, 8, -1.0f, 0.9f, 0, 0, w, g, s1), "kappa = -1");
    EXPECT_BAD(ctx, hpc_sgd_convex_momentum_update(ctx, 8, 0.1f, 1.5f, 0, 0, w, g, s1), "beta = 1.5");
    EXPECT_BAD(ctx, hpc_sgd_convex_momentum_update(ctx, 8, 0.1f, 0.5f, 0, 0, w, g, NULL), "velocity is null");
    EXPECT_BAD(ctx, hpc_nesterov_update(ctx, 8, 0.1f, 0.9f, 0, 0, w, g, NULL), "hpc_nesterov_update", "velocity");
    EXPECT_BAD(ctx, hpc_nesterov_update(ctx, -3, 0.1f, 0.9f, 0, 0, w, g, s1), "n = -3");

    /* RMSProp */
    EXPECT_BAD(ctx, hpc_rmsprop_update(ctx, 8, 0.1f, 1.0f, 1e-8f, 0, 0, 0, w, g, s1, NULL), "alpha = 1");
    EXPECT_BAD(ctx, hpc_rmsprop_update(ctx, 8, 0.1f, 0.9f, 0.0f, 0, 0, 0, w, g, s1, NULL), "eps = 0", "> 0");
    EXPECT_BAD(ctx, hpc_rmsprop_update(ctx, 8, 0.1f, 0.9f, -1e-8f, 0, 0, 0, w, g, s1, NULL), "eps = -1e-08");
    EXPECT_BAD(ctx, hpc_rmsprop_update(ctx, 8, 0.1f, 0.9f, nan, 0, 0, 0, w, g, s1, NULL), "eps = nan");
    EXPECT_BAD(ctx, hpc_rmsprop_update(ctx, 8, 0.1f, 0.9f, 1e-8f, 0.5f, 0, 0, w, g, s1, NULL), "momentum_buf is null");
    EXPECT_BAD(ctx, hpc_rmsprop_update(ctx, 8, 0.1f, 0.9f, 1e-8f, 0, 0, 0, w, g, NULL, NULL), "square_avg is null");
    EXPECT_BAD(ctx, hpc_rmsprop_update(ctx, 8, 0.1f, 0.9f, 1e-8f, 0.5f, 0, 0, w, g, s1, s1), "square_avg and momentum_buf overlap");

    /* Adam / AdamW */
    EXPECT_BAD(ctx, hpc_adam_update(ctx, 8, 1e-3f, 0.9f, 0.999f, 1e-8f, 0, 0, 0, w, g, s1, s2), "step = 0", ">= 1");
    EXPECT_BAD(ctx, hpc_adam_update(ctx, 8, 1e-3f, 0.9f, 0.999f, 1e-8f, 0, 0, -5, w, g, s1, s2), "step = -5");
    EXPECT_BAD(ctx, hpc_adam_update(ctx, 8, 1e-3f, 1.0f, 0.999f, 1e-8f, 0, 0, 1, w, g, s1, s2), "beta1 = 1");
    EXPECT_BAD(ctx, hpc_adam_update(ctx, 8, 1e-3f, 0.9f, -0.1f, 1e-8f, 0, 0, 1, w, g, s1, s2), "beta2 = -0.1");
    EXPECT_BAD(ctx, hpc_adam_update(ctx, 8, 1e-3f, 0.9f, 0.999f, 0.0f, 0, 0, 1, w, g, s1, s2), "eps = 0");
    EXPECT_BAD(ctx, hpc_adam_update(ctx, 8, 1e-3f, 0.9f, 0.999f, 1e-8f, 0, 0, 1, w, g, s1, NULL), "v is null");
    EXPECT_BAD(ctx, hpc_adam_update(ctx, 8, 1e-3f, 0.9f, 0.999f, 1e-8f, 0, 0, 1, w, g, NULL, s2), "m is null");
    EXPECT_BAD(ctx, hpc_adamw_update(ctx, 8, 1e-3f, 0.9f, 0.999f, 1e-8f, nan, 0, 1, w, g, s1, s2), "hpc_adamw_update",
               "weight_decay = nan");
    EXPECT_BAD(ctx, hpc_adamw_update(ctx, 8, 1e-3f, 0.9f, 0.999f, 1e-8f, 0, 0, 1, w, g, s1, s1), "m and v overlap");
    hpc_ctx_destroy(ctx);
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    tu_seed(42);
    golden();
    bad_input();
    test_paths();
    test_threads();
    return tu_finish("test_optim");
}
