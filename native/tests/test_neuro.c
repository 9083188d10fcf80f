/* The neuro family: LIF and HH steps, PSC filters, dense and CSR spike propagation, random
 * connectivity. Every path against the scalar reference, 1/2/3 threads bit-identical, the
 * integrators against their closed forms, and argument validation. */
#include "testutil.h"

#define MAXP 4

static void skip_missing_paths(void) {
    static const hpc_isa all[] = {HPC_ISA_AVX2, HPC_ISA_AVX512};
    for (int i = 0; i < 2; i++) {
        int32_t ok = 0;
        hpc_isa_supported(all[i], &ok);
        if (!ok) printf("SKIP %s: this CPU lacks it; its neuro kernels were not run\n", hpc_isa_name(all[i]));
    }
}

static int32_t* ialloc(int64_t n) {
    int32_t* p = (int32_t*)calloc((size_t)(n > 0 ? n : 1), sizeof(int32_t));
    if (!p) exit(2);
    return p;
}

/* A LIF population state: v in [0, 1.2), some neurons refractory, drives around threshold. */
typedef struct {
    int64_t n;
    float *v_in, *s, *v;
    int32_t *refr, *spikes, *counts;
} lif_state;

static lif_state lif_make(int64_t n, uint64_t seed) {
    lif_state st = {n, tu_alloc(n), tu_alloc(n), tu_alloc(n), ialloc(n), ialloc(n), ialloc(n)};
    tu_seed(seed);
    tu_fill(st.v_in, n, 0.5f, 2.5f);
    tu_fill(st.s, n, -0.3f, 0.3f);
    tu_fill(st.v, n, 0.0f, 1.2f);
    for (int64_t i = 0; i < n; i++) st.refr[i] = (tu_next() >> 60) < 3 ? (int32_t)(tu_next() % 21) : 0;
    return st;
}

static void lif_free(lif_state* st) {
    free(st->v_in), free(st->s), free(st->v), free(st->refr), free(st->spikes), free(st->counts);
}

/* Runs `steps` LIF steps; the concatenated spike lists go to log (capacity n * steps). */
static int64_t lif_run(hpc_ctx* ctx, hpc_integrator method, lif_state* st, int steps, int32_t* log) {
    int64_t total = 0;
    for (int t = 0; t < steps; t++) {
        int64_t count = -1;
        TU_OK(hpc_lif_step(ctx, method, st->n, 1e-4f, 0.02f, 20, st->v_in, t % 2 ? st->s : NULL, t % 4 == 1 ? 0.95f : 1.0f, st->v, st->refr,
                           st->spikes, &count, st->counts));
        memcpy(log + total, st->spikes, (size_t)count * sizeof(int32_t));
        total += count;
    }
    return total;
}

static int same_bits(const void* a, const void* b, int64_t n, size_t size) { return memcmp(a, b, (size_t)n * size) == 0; }

static void test_lif_paths_and_threads(void) {
    hpc_isa isas[MAXP];
    int np = tu_isas(isas);
    const int64_t sizes[] = {1, 7, 8, 33, 1000, 150000}; /* 150000: three chunks */
    for (int si = 0; si < 6; si++) {
        int64_t n = sizes[si];
        int steps = n > 1000 ? 12 : 200;
        for (int method = 0; method < 2; method++) {
            lif_state ref = lif_make(n, 11 + (uint64_t)n);
            int32_t* ref_log = ialloc(n * steps);
            hpc_ctx* c0 = tu_ctx(HPC_ISA_SCALAR, 1);
            int64_t ref_total = lif_run(c0, (hpc_integrator)method, &ref, steps, ref_log);
            hpc_ctx_destroy(c0);
            TU_CHECK(ref_total > 0 || n < 8, "n=%lld: no spikes at all", (long long)n);
            for (int p = 0; p < np; p++)
                for (int threads = 1; threads <= 3; threads++) {
                    lif_state st = lif_make(n, 11 + (uint64_t)n);
                    int32_t* log = ialloc(n * steps);
                    hpc_ctx* ctx = tu_ctx(isas[p], threads);
                    int64_t total = lif_run(ctx, (hpc_integrator)method, &st, steps, log);
                    hpc_ctx_destroy(ctx);
                    TU_CHECK(total == ref_total && same_bits(log, ref_log, total, 4) && same_bits(st.v, ref.v, n, 4) &&
                                 same_bits(st.refr, ref.refr, n, 4) && same_bits(st.counts, ref.counts, n, 4),
                             "lif %s threads=%d n=%lld method=%d differs from scalar (spikes %lld vs %lld)",
                             hpc_isa_name(isas[p]), threads, (long long)n, method, (long long)total,
                             (long long)ref_total);
                    free(log);
                    lif_free(&st);
                }
            free(ref_log);
            lif_free(&ref);
        }
    }
}

/* Spike lists ascend and a neuron spikes again only after its refractory steps. */
/* The fused decay equals an order-0 exact filter step after an unfused LIF step, bit for bit. */
static void test_lif_fused_decay(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    const int64_t n = 1001;
    lif_state a = lif_make(n, 3), b = lif_make(n, 3);
    for (int t = 0; t < 50; t++) {
        int64_t ca, cb;
        float decay = (float)exp(-1e-4 / 5e-3);
        TU_OK(hpc_lif_step(ctx, HPC_INTEGRATE_EXACT, n, 1e-4f, 0.02f, 20, a.v_in, a.s, decay, a.v, a.refr, a.spikes, &ca, NULL));
        TU_OK(hpc_lif_step(ctx, HPC_INTEGRATE_EXACT, n, 1e-4f, 0.02f, 20, b.v_in, b.s, 1.0f, b.v, b.refr, b.spikes, &cb, NULL));
        TU_OK(hpc_psc_step(ctx, HPC_INTEGRATE_EXACT, 0, n, 1e-4f, 5e-3f, NULL, b.s));
        TU_CHECK(ca == cb && same_bits(a.s, b.s, n, 4) && same_bits(a.v, b.v, n, 4), "fused decay differs at step %d", t);
    }
    lif_free(&a), lif_free(&b);
    hpc_ctx_destroy(ctx);
}

static void test_lif_refractory(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    float v_in = 50.0f, v = 0.0f; /* crosses threshold in one step whenever it integrates */
    int32_t refr = 0, spikes[1], last = -100;
    for (int t = 0; t < 100; t++) {
        int64_t count;
        TU_OK(hpc_lif_step(ctx, HPC_INTEGRATE_EXACT, 1, 1e-3f, 0.02f, 5, &v_in, NULL, 1.0f, &v, &refr, spikes, &count, NULL));
        if (count) {
            TU_CHECK(last < 0 || t - last == 6, "spike at step %d after %d: expected 5 held steps between", t, last);
            last = t;
        } else {
            TU_CHECK(v == 0.0f, "held neuron has v = %g", (double)v);
        }
    }
    hpc_ctx_destroy(ctx);
}

/* Subthreshold v_in: v(T) = v_in (1 - e^(-T/tau)); exact integration within float rounding,
 * Euler's error proportional to dt (halving dt halves it). */
static void test_lif_integration_order(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    const double tau = 0.02, T = 0.02, vin = 0.9, want = vin * (1.0 - exp(-T / tau));
    double err[3];
    for (int k = 0; k < 3; k++) {
        float dt = (float)(1e-3 / (1 << k)), fvin = (float)vin;
        for (int method = 0; method < 2; method++) {
            float v = 0.0f;
            int32_t refr = 0, spk[1];
            int64_t count;
            int steps = (int)lround(T / dt);
            for (int t = 0; t < steps; t++)
                TU_OK(hpc_lif_step(ctx, (hpc_integrator)method, 1, dt, (float)tau, 0, &fvin, NULL, 1.0f, &v, &refr, spk, &count,
                                   NULL));
            if (method == HPC_INTEGRATE_EXACT)
                TU_CHECK(fabs(v - want) < 2e-6, "exact dt=%g: v(T) = %.8f, want %.8f", (double)dt, (double)v, want);
            else
                err[k] = fabs(v - want);
        }
    }
    for (int k = 1; k < 3; k++) {
        double ratio = err[k - 1] / err[k];
        TU_CHECK(ratio > 1.85 && ratio < 2.15, "Euler error ratio for halved dt = %g (errors %g, %g): not first order", ratio,
                 err[k - 1], err[k]);
    }
    hpc_ctx_destroy(ctx);
}

typedef struct {
    int64_t n;
    float *i_in, *v, *m, *h, *ng;
    int32_t *spikes, *counts;
} hh_state;

static hh_state hh_make(int64_t n) {
    hh_state st = {n, tu_alloc(n), tu_alloc(n), tu_alloc(n), tu_alloc(n), tu_alloc(n), ialloc(n), ialloc(n)};
    tu_seed(5 + (uint64_t)n);
    tu_fill(st.i_in, n, 0.0f, 30.0f);
    tu_fill(st.v, n, -80.0f, 40.0f);
    for (int64_t i = 0; i < n; i += 5) st.v[i] = (i % 3 ? -40.0f : -55.0f) + 1e-3f * (float)(i % 7); /* the 0/0 points */
    tu_fill(st.m, n, 0.0f, 1.0f);
    tu_fill(st.h, n, 0.0f, 1.0f);
    tu_fill(st.ng, n, 0.0f, 1.0f);
    return st;
}

static void hh_free(hh_state* st) {
    free(st->i_in), free(st->v), free(st->m), free(st->h), free(st->ng), free(st->spikes), free(st->counts);
}

static int64_t hh_run(hpc_ctx* ctx, hh_state* st, int steps) {
    int64_t total = 0;
    for (int t = 0; t < steps; t++) {
        int64_t count;
        TU_OK(hpc_hh_step(ctx, st->n, 0.05f, st->i_in, st->v, st->m, st->h, st->ng, st->spikes, &count, st->counts));
        total += count;
    }
    return total;
}

static double max_diff(const float* a, const float* b, int64_t n) {
    double d = 0;
    for (int64_t i = 0; i < n; i++) d = fmax(d, isnan(a[i]) || isnan(b[i]) ? INFINITY : fabs((double)a[i] - b[i]));
    return d;
}

/* SIMD paths use the vectorised exp, the scalar path libm's: states agree to a few ulps of
 * the exponentials after one step and spike counts over a run agree; each path is
 * bit-identical across thread counts. */
static void test_hh_paths_and_threads(void) {
    hpc_isa isas[MAXP];
    int np = tu_isas(isas);
    const int64_t sizes[] = {1, 9, 5000};
    for (int si = 0; si < 3; si++) {
        int64_t n = sizes[si];
        hh_state ref = hh_make(n);
        hpc_ctx* c0 = tu_ctx(HPC_ISA_SCALAR, 1);
        hh_run(c0, &ref, 1);
        for (int p = 0; p < np; p++) {
            hh_state st = hh_make(n);
            hpc_ctx* ctx = tu_ctx(isas[p], 1);
            hh_run(ctx, &st, 1);
            double dv = max_diff(st.v, ref.v, n), dm = max_diff(st.m, ref.m, n), dh = max_diff(st.h, ref.h, n),
                   dn = max_diff(st.ng, ref.ng, n);
            TU_CHECK(dv < 1e-3 && dm < 1e-5 && dh < 1e-5 && dn < 1e-5,
                     "hh %s n=%lld one step: |dv| %g |dm| %g |dh| %g |dn| %g", hpc_isa_name(isas[p]), (long long)n, dv, dm,
                     dh, dn);
            hh_state runs[3];
            int64_t totals[3];
            for (int threads = 1; threads <= 3; threads++) {
                hpc_ctx* tc = tu_ctx(isas[p], threads);
                runs[threads - 1] = hh_make(n);
                totals[threads - 1] = hh_run(tc, &runs[threads - 1], 400);
                hpc_ctx_destroy(tc);
            }
            for (int t = 1; t < 3; t++)
                TU_CHECK(totals[t] == totals[0] && same_bits(runs[t].v, runs[0].v, n, 4) &&
                             same_bits(runs[t].ng, runs[0].ng, n, 4) && same_bits(runs[t].counts, runs[0].counts, n, 4),
                         "hh %s n=%lld: %d threads differ from 1", hpc_isa_name(isas[p]), (long long)n, t + 1);
            for (int t = 0; t < 3; t++) hh_free(&runs[t]);
            hpc_ctx_destroy(ctx);
            hh_free(&st);
        }
        hh_state ref_run = hh_make(n);
        int64_t ref_total = hh_run(c0, &ref_run, 400);
        for (int p = 1; p < np; p++) {
            hh_state st = hh_make(n);
            hpc_ctx* ctx = tu_ctx(isas[p], 1);
            int64_t total = hh_run(ctx, &st, 400);
            TU_CHECK(total == ref_total && same_bits(st.counts, ref_run.counts, n, 4),
                     "hh %s n=%lld: %lld spikes in 20 ms, scalar %lld", hpc_isa_name(isas[p]), (long long)n,
                     (long long)total, (long long)ref_total);
            hpc_ctx_destroy(ctx);
            hh_free(&st);
        }
        hh_free(&ref_run);
        hpc_ctx_destroy(c0);
        hh_free(&ref);
    }
}

static void test_psc(void) {
    hpc_isa isas[MAXP];
    int np = tu_isas(isas);
    const double tau = 5e-3;
    const float dt = 1e-4f;
    /* Impulse response: weight 1/tau into the input stage at t = 0 gives h(i dt) exactly (n = 0,
     * 1) and integrates to 1. */
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    for (int order = 0; order <= 1; order++) {
        float x = 0.0f, s = 0.0f;
        if (order == 0) s = (float)(1.0 / tau);
        else x = (float)(1.0 / tau);
        double integral = 0.0, worst = 0.0;
        for (int i = 0; i < 2000; i++) {
            double t = i * (double)dt, h = order == 0 ? exp(-t / tau) / tau : t * exp(-t / tau) / (tau * tau);
            worst = fmax(worst, fabs(s - h) / (1.0 / tau));
            integral += s * (double)dt;
            TU_OK(hpc_psc_step(ctx, HPC_INTEGRATE_EXACT, order, 1, dt, (float)tau, &x, &s));
        }
        TU_CHECK(worst < 1e-5, "order %d: impulse response off h(t) by %g of its scale", order, worst);
        /* Rectangle sums of the sampled h: 1 + O(dt / tau) (0.01 here) below and above. */
        TU_CHECK(fabs(integral - 1.0) < 0.011, "order %d: integral of h = %.6f, want 1", order, integral);
    }
    /* Euler, order 0: s_i = s_(i-1) (1 - dt / tau_s), step for step as Algorithm 1 writes it. */
    float s = 200.0f, want = 200.0f;
    for (int i = 0; i < 100; i++) {
        TU_OK(hpc_psc_step(ctx, HPC_INTEGRATE_EULER, 0, 1, dt, (float)tau, NULL, &s));
        want = want * (1.0f - dt / (float)tau);
        TU_CHECK(s == want, "Euler step %d: s = %.9g, Algorithm 1 gives %.9g", i, (double)s, (double)want);
    }
    hpc_ctx_destroy(ctx);
    /* Every path and thread count bit-identical to scalar (n spans several chunks). */
    const int64_t n = 100003;
    float *x0 = tu_alloc(n), *s0 = tu_alloc(n), *x = tu_alloc(n), *s1 = tu_alloc(n);
    for (int method = 0; method < 2; method++)
        for (int order = 0; order <= 1; order++) {
            tu_seed(3);
            tu_fill(x0, n, -1, 1);
            tu_fill(s0, n, -1, 1);
            hpc_ctx* c0 = tu_ctx(HPC_ISA_SCALAR, 1);
            for (int k = 0; k < 3; k++) TU_OK(hpc_psc_step(c0, (hpc_integrator)method, order, n, dt, (float)tau, x0, s0));
            hpc_ctx_destroy(c0);
            for (int p = 0; p < np; p++)
                for (int threads = 1; threads <= 3; threads++) {
                    tu_seed(3);
                    tu_fill(x, n, -1, 1);
                    tu_fill(s1, n, -1, 1);
                    hpc_ctx* c = tu_ctx(isas[p], threads);
                    for (int k = 0; k < 3; k++) TU_OK(hpc_psc_step(c, (hpc_integrator)method, order, n, dt, (float)tau, x, s1));
                    hpc_ctx_destroy(c);
                    TU_CHECK(same_bits(s1, s0, n, 4) && same_bits(x, x0, n, 4), "psc %s threads=%d order=%d method=%d",
                             hpc_isa_name(isas[p]), threads, order, method);
                }
        }
    free(x0), free(s0), free(x), free(s1);
}

static void test_dense(void) {
    hpc_isa isas[MAXP];
    int np = tu_isas(isas);
    const int64_t shapes[][2] = {{5, 3}, {40, 77}, {300, 5000}};
    for (int si = 0; si < 3; si++) {
        int64_t n_pre = shapes[si][0], n_post = shapes[si][1];
        float* w = tu_alloc(n_pre * n_post);
        float *ref = tu_alloc(n_post), *t = tu_alloc(n_post);
        int32_t* spikes = ialloc(n_pre);
        tu_seed(9);
        tu_fill(w, n_pre * n_post, -1, 1);
        int64_t count = 0;
        for (int64_t j = 0; j < n_pre; j++)
            if (j % 3 != 1) spikes[count++] = (int32_t)(n_pre - 1 - j); /* descending: list order matters */
        tu_fill(ref, n_post, -1, 1);
        memcpy(t, ref, (size_t)n_post * 4);
        /* Plain reference in list order. */
        for (int64_t q = 0; q < count; q++)
            for (int64_t i = 0; i < n_post; i++) ref[i] += w[spikes[q] * n_post + i];
        for (int p = 0; p < np; p++)
            for (int threads = 1; threads <= 3; threads++) {
                float* tt = tu_alloc(n_post);
                memcpy(tt, t, (size_t)n_post * 4);
                hpc_ctx* c = tu_ctx(isas[p], threads);
                TU_OK(hpc_spikes_propagate_dense(c, n_pre, n_post, w, spikes, count, tt));
                hpc_ctx_destroy(c);
                TU_CHECK(same_bits(tt, ref, n_post, 4), "dense %s threads=%d %lldx%lld", hpc_isa_name(isas[p]), threads,
                         (long long)n_pre, (long long)n_post);
                free(tt);
            }
        free(w), free(ref), free(t), free(spikes);
    }
}

/* Random connectivity: identical on every path and thread count, columns ascending, about
 * p n_pre n_post synapses, weights within [lo, hi); CSR propagation equals the dense sum of the
 * same matrix for any thread count. */
static void test_random_csr_and_propagation(void) {
    hpc_isa isas[MAXP];
    int np = tu_isas(isas);
    const int64_t n_pre = 3000, n_post = 2500;
    const float p = 0.05f;
    int64_t *rp_ref = (int64_t*)calloc((size_t)n_pre + 1, 8), nnz_ref = 0;
    hpc_ctx* c0 = tu_ctx(HPC_ISA_SCALAR, 1);
    TU_OK(hpc_random_csr_rows(c0, 77, n_pre, n_post, p, rp_ref, &nnz_ref));
    hpc_synapse* syn_ref = (hpc_synapse*)calloc((size_t)nnz_ref, sizeof(hpc_synapse));
    TU_OK(hpc_random_csr_fill(c0, 77, n_pre, n_post, p, -0.05f, 0.05f, rp_ref, syn_ref));
    TU_OK(hpc_csr_check(c0, n_pre, n_post, nnz_ref, rp_ref, syn_ref));
    double mean = (double)p * n_pre * n_post, sd = sqrt(mean * (1 - p));
    TU_CHECK(fabs((double)nnz_ref - mean) < 5 * sd, "nnz = %lld, expected %.0f +- %.0f", (long long)nnz_ref, mean, sd);
    int in_range = 1;
    for (int64_t e = 0; e < nnz_ref; e++) in_range &= syn_ref[e].weight >= -0.05f && syn_ref[e].weight < 0.05f;
    TU_CHECK(in_range, "weights outside [lo, hi)");
    /* Each column is hit with probability p: column 0 about p n_pre times. */
    int64_t col0 = 0;
    for (int64_t r = 0; r < n_pre; r++) col0 += rp_ref[r + 1] > rp_ref[r] && syn_ref[rp_ref[r]].target == 0;
    TU_CHECK(fabs((double)col0 - p * n_pre) < 5 * sqrt(p * n_pre), "column 0 has %lld synapses, want about %.0f",
             (long long)col0, (double)p * n_pre);
    /* Dense copy for the propagation reference. */
    float* dense = (float*)calloc((size_t)(n_pre * n_post), 4);
    for (int64_t r = 0; r < n_pre; r++)
        for (int64_t e = rp_ref[r]; e < rp_ref[r + 1]; e++) dense[r * n_post + syn_ref[e].target] = syn_ref[e].weight;
    int32_t* spikes = ialloc(n_pre);
    int64_t count = 0;
    for (int64_t j = n_pre - 1; j >= 0; j -= 2) spikes[count++] = (int32_t)j; /* 1500 rows, ~190k events */
    float* want = (float*)calloc((size_t)n_post, 4);
    for (int64_t q = 0; q < count; q++)
        for (int64_t e = rp_ref[spikes[q]]; e < rp_ref[spikes[q] + 1]; e++) want[syn_ref[e].target] += syn_ref[e].weight;
    hpc_ctx_destroy(c0);
    for (int pth = 0; pth < np; pth++)
        for (int threads = 1; threads <= 3; threads++) {
            hpc_ctx* c = tu_ctx(isas[pth], threads);
            int64_t* rp = (int64_t*)calloc((size_t)n_pre + 1, 8), nnz = 0;
            TU_OK(hpc_random_csr_rows(c, 77, n_pre, n_post, p, rp, &nnz));
            hpc_synapse* syn = (hpc_synapse*)calloc((size_t)nnz, sizeof(hpc_synapse));
            TU_OK(hpc_random_csr_fill(c, 77, n_pre, n_post, p, -0.05f, 0.05f, rp, syn));
            TU_CHECK(nnz == nnz_ref && same_bits(rp, rp_ref, n_pre + 1, 8) && same_bits(syn, syn_ref, nnz, 8),
                     "random csr %s threads=%d differs", hpc_isa_name(isas[pth]), threads);
            float* t = (float*)calloc((size_t)n_post, 4);
            TU_OK(hpc_spikes_propagate_csr(c, n_pre, n_post, nnz, rp, syn, spikes, count, t));
            TU_CHECK(same_bits(t, want, n_post, 4), "csr propagation %s threads=%d differs", hpc_isa_name(isas[pth]),
                     threads);
            float* td = (float*)calloc((size_t)n_post, 4);
            TU_OK(hpc_spikes_propagate_dense(c, n_pre, n_post, dense, spikes, count, td));
            TU_CHECK(max_diff(td, t, n_post) < 1e-5, "csr and dense propagation of one matrix differ by %g",
                     max_diff(td, t, n_post));
            hpc_ctx_destroy(c);
            free(rp), free(syn), free(t), free(td);
        }
    /* p = 1 connects everything, p = 0 nothing. */
    hpc_ctx* c = tu_ctx(HPC_ISA_AUTO, 2);
    int64_t rp[11], nnz;
    TU_OK(hpc_random_csr_rows(c, 1, 10, 7, 1.0f, rp, &nnz));
    TU_CHECK(nnz == 70, "p = 1: nnz = %lld", (long long)nnz);
    TU_OK(hpc_random_csr_rows(c, 1, 10, 7, 0.0f, rp, &nnz));
    TU_CHECK(nnz == 0, "p = 0: nnz = %lld", (long long)nnz);
    hpc_ctx_destroy(c);
    free(rp_ref), free(syn_ref), free(dense), free(spikes), free(want);
}

static void test_validation(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    float v_in[4] = {1, 1, 1, 1}, v[4] = {0}, s[4] = {0}, x[4] = {0}, w[8] = {0};
    int32_t refr[4] = {0}, spikes[4] = {0, 1, 9, 0};
    int64_t count;
    tu_expect_invalid(ctx, hpc_lif_step(ctx, HPC_INTEGRATE_EXACT, 4, 0.0f, 0.02f, 2, v_in, NULL, 1.0f, v, refr, spikes, &count, NULL),
                      "dt 0", "dt = 0");
    tu_expect_invalid(ctx, hpc_lif_step(ctx, HPC_INTEGRATE_EXACT, 4, -1e-4f, 0.02f, 2, v_in, NULL, 1.0f, v, refr, spikes, &count, NULL),
                      "dt < 0", "dt = -0.0001");
    tu_expect_invalid(ctx, hpc_lif_step(ctx, HPC_INTEGRATE_EXACT, 4, 1e-4f, 0.0f, 2, v_in, NULL, 1.0f, v, refr, spikes, &count, NULL),
                      "tau_m 0", "tau_m = 0");
    tu_expect_invalid(ctx, hpc_lif_step(ctx, HPC_INTEGRATE_EULER, 4, 0.03f, 0.02f, 2, v_in, NULL, 1.0f, v, refr, spikes, &count, NULL),
                      "Euler dt >= tau", "dt < tau_m");
    tu_expect_invalid(ctx, hpc_lif_step(ctx, HPC_INTEGRATE_EXACT, 4, 1e-4f, 0.02f, -1, v_in, NULL, 1.0f, v, refr, spikes, &count, NULL),
                      "negative refractory", "refractory_steps = -1");
    tu_expect_invalid(ctx, hpc_lif_step(ctx, HPC_INTEGRATE_EXACT, 4, 1e-4f, 0.02f, 2, v_in, s, 1.5f, v, refr, spikes, &count, NULL),
                      "s_decay", "s_decay = 1.5");
    tu_expect_invalid(ctx, hpc_lif_step(ctx, (hpc_integrator)7, 4, 1e-4f, 0.02f, 2, v_in, NULL, 1.0f, v, refr, spikes, &count, NULL),
                      "method", "method = 7");
    tu_expect_invalid(ctx, hpc_lif_step(ctx, HPC_INTEGRATE_EXACT, 4, 1e-4f, 0.02f, 2, NULL, NULL, 1.0f, v, refr, spikes, &count, NULL),
                      "v_in null", "v_in is null");
    tu_expect_invalid(ctx, hpc_hh_step(ctx, 4, 0.0f, NULL, v, v, v, v, spikes, &count, NULL), "hh dt", "dt = 0");
    tu_expect_invalid(ctx, hpc_hh_step(ctx, 4, 2.0f, NULL, v, v, v, v, spikes, &count, NULL), "hh dt big", "above 1 ms");
    tu_expect_invalid(ctx, hpc_hh_step(ctx, -1, 0.01f, NULL, v, v, v, v, spikes, &count, NULL), "hh n", "n = -1");
    tu_expect_invalid(ctx, hpc_psc_step(ctx, HPC_INTEGRATE_EXACT, 2, 4, 1e-4f, 5e-3f, x, s), "order", "order = 2");
    tu_expect_invalid(ctx, hpc_psc_step(ctx, HPC_INTEGRATE_EXACT, 0, 4, 1e-4f, -5e-3f, x, s), "tau_s", "tau_s = -0.005");
    tu_expect_invalid(ctx, hpc_psc_step(ctx, HPC_INTEGRATE_EXACT, 1, 4, 1e-4f, 5e-3f, NULL, s), "x null", "x is null");
    /* spikes[2] = 9 lies outside a population of 4: rejected, target untouched. */
    float target[2] = {1, 2};
    tu_expect_invalid(ctx, hpc_spikes_propagate_dense(ctx, 4, 2, w, spikes, 3, target), "dense index", "spikes[2] = 9");
    int64_t rp[5] = {0, 1, 2, 3, 4};
    hpc_synapse syn[4] = {{0, 1}, {1, 1}, {0, 1}, {1, 1}};
    tu_expect_invalid(ctx, hpc_spikes_propagate_csr(ctx, 4, 2, 4, rp, syn, spikes, 3, target), "csr index", "spikes[2] = 9");
    TU_CHECK(target[0] == 1 && target[1] == 2, "a rejected call changed target");
    int64_t bad_rp[5] = {0, 1, 9, 3, 4};
    tu_expect_invalid(ctx, hpc_spikes_propagate_csr(ctx, 4, 2, 4, bad_rp, syn, spikes, 2, target), "csr rows", "row 1 spans");
    syn[3].target = 2;
    tu_expect_invalid(ctx, hpc_csr_check(ctx, 4, 2, 4, rp, syn), "csr target", "synapses[3].target = 2");
    int64_t rp2[3] = {0, 2, 4};
    hpc_synapse syn2[4] = {{1, 0}, {0, 0}, {0, 0}, {1, 0}};
    tu_expect_invalid(ctx, hpc_csr_check(ctx, 2, 2, 4, rp2, syn2), "csr order", "do not ascend");
    tu_expect_invalid(ctx, hpc_random_csr_rows(ctx, 1, 4, 4, 1.5f, rp, &count), "p", "p = 1.5");
    tu_expect_invalid(ctx, hpc_random_csr_rows(ctx, 1, -4, 4, 0.5f, rp, &count), "n_pre", "n_pre = -4");
    /* An out-of-range column in propagation never writes outside target. */
    float guard[4] = {0, 0, 0, 0};
    hpc_synapse wild[4] = {{0, 1}, {5, 1}, {-3, 1}, {1, 1}};
    int32_t one[1] = {0};
    int64_t rp1[2] = {0, 4};
    TU_OK(hpc_spikes_propagate_csr(ctx, 1, 2, 4, rp1, wild, one, 1, guard + 1));
    TU_CHECK(guard[0] == 0 && guard[3] == 0 && guard[1] == 1, "out-of-range columns wrote outside target");
    hpc_ctx_destroy(ctx);
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    skip_missing_paths();
    test_lif_paths_and_threads();
    test_lif_refractory();
    test_lif_fused_decay();
    test_lif_integration_order();
    test_hh_paths_and_threads();
    test_psc();
    test_dense();
    test_random_csr_and_propagation();
    test_validation();
    return tu_finish("test_neuro");
}
