/* Public entry points of the neuro family: validation, then fixed chunks of the population on
 * the context's threads. A chunk writes its spikes at its own offset in the caller's list and
 * the lists are then closed up in chunk order, so the list is the same for any thread count. */
#include "core/internal.h"
#include "core/kernel_table.h"
#include "neuro/neuro_internal.h"
#include "simd/parallel_ranges.h"
#include <math.h>
#include <string.h>

/* Neurons per chunk: a LIF chunk is some 30 us of work, an HH chunk about as much; smaller
 * tasks lose more to waking the pool than they gain (bench/RESULTS.md, the spiking networks). */
#define LIF_GRAIN ((int64_t)1 << 16)
#define HH_GRAIN ((int64_t)1 << 11)
/* Below this many weight additions (about 100 us of cold synapses) a propagation runs on the
 * calling thread alone. */
#define PROPAGATE_PARALLEL_MIN ((int64_t)1 << 15)
#define DENSE_GRAIN ((int64_t)1 << 12)

static const hpc_neuro_kernels* neuro_kernels(const hpc_ctx* ctx) { return ctx->kernels->neuro; }

static hpc_status check_positive(hpc_ctx* ctx, const char* fn, const char* name, float x) {
    if (!(x > 0.0f) || !isfinite(x))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: %s = %g is not a positive finite number", fn, name,
                        (double)x);
    return HPC_STATUS_OK;
}

static hpc_status check_method(hpc_ctx* ctx, const char* fn, hpc_integrator method) {
    if (method != HPC_INTEGRATE_EULER && method != HPC_INTEGRATE_EXACT)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: method = %d is not an hpc_integrator", fn, (int)method);
    return HPC_STATUS_OK;
}

/* The factor a of x <- target + (x - target) a over one step of dt for time constant tau; the
 * Euler factor in float as Algorithm 1 writes it, 1 - dt / tau. */
static float step_factor(hpc_integrator method, float dt, float tau) {
    return method == HPC_INTEGRATE_EULER ? 1.0f - dt / tau : (float)exp(-(double)dt / (double)tau);
}

/* ---- population steps: chunked, spikes closed up in chunk order ---- */

typedef struct {
    const hpc_neuro_kernels* k;
    int64_t n, grain;
    int64_t* chunk_spikes; /* spikes found by each chunk */
    int64_t single;        /* chunk_spikes of a one-chunk call */
    int32_t* spikes;
    int32_t* counts;
    /* LIF */
    float a, s_decay;
    int32_t refractory_steps;
    const float* v_in;
    float* s;
    float* v;
    int32_t* refractory;
    /* HH */
    float dt;
    const float* i_in;
    float *m, *h, *ng;
} population_job;

static void lif_chunk(void* arg, int64_t chunk, int64_t b, int64_t e) {
    const population_job* j = (const population_job*)arg;
    j->chunk_spikes[chunk] = j->k->lif(b, e - b, j->a, j->refractory_steps, j->v_in + b, j->s ? j->s + b : NULL,
                                       j->s_decay, j->v + b, j->refractory + b, j->spikes + b, j->counts ? j->counts + b : NULL);
}

static void hh_chunk(void* arg, int64_t chunk, int64_t b, int64_t e) {
    const population_job* j = (const population_job*)arg;
    j->chunk_spikes[chunk] = j->k->hh(b, e - b, j->dt, j->i_in ? j->i_in + b : NULL, j->v + b, j->m + b, j->h + b,
                                      j->ng + b, j->spikes + b, j->counts ? j->counts + b : NULL);
}

static hpc_status run_population(hpc_ctx* ctx, population_job* j, hpc_range_fn fn, int64_t* spike_count) {
    int64_t chunks = hpc_ranges_count(j->n, j->grain);
    if (chunks <= 1) {
        j->chunk_spikes = &j->single;
        j->single = 0;
        if (chunks == 1) fn(j, 0, 0, j->n);
        *spike_count = j->single;
        return HPC_STATUS_OK;
    }
    j->chunk_spikes = (int64_t*)hpc_ctx_workspace(ctx, (size_t)chunks * sizeof(int64_t));
    if (!j->chunk_spikes)
        return hpc_fail(ctx, HPC_STATUS_OUT_OF_MEMORY, "neuro: cannot allocate %lld chunk counters", (long long)chunks);
    hpc_status st = hpc_parallel_ranges(ctx, j->n, j->grain, fn, j);
    if (st) return st;
    int64_t total = j->chunk_spikes[0];
    for (int64_t c = 1; c < chunks; c++) {
        if (j->chunk_spikes[c] && total != c * j->grain)
            memmove(j->spikes + total, j->spikes + c * j->grain, (size_t)j->chunk_spikes[c] * sizeof(int32_t));
        total += j->chunk_spikes[c];
    }
    *spike_count = total;
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_lif_step(hpc_ctx* ctx, hpc_integrator method, int64_t n, float dt, float tau_m,
                                int32_t refractory_steps, const float* v_in, float* s, float s_decay, float* v,
                                int32_t* refractory, int32_t* spikes, int64_t* spike_count, int32_t* counts) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_method(ctx, __func__, method);
    if (st) return st;
    HPC_CHECK_NONNEG(ctx, n);
    if ((st = check_positive(ctx, __func__, "dt", dt)) || (st = check_positive(ctx, __func__, "tau_m", tau_m))) return st;
    if (method == HPC_INTEGRATE_EULER && !(dt < tau_m))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: Euler needs dt < tau_m (dt = %g, tau_m = %g)", __func__,
                        (double)dt, (double)tau_m);
    HPC_CHECK_NONNEG(ctx, refractory_steps);
    if (!(s_decay >= 0.0f && s_decay <= 1.0f))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: s_decay = %g is outside [0, 1]", __func__, (double)s_decay);
    HPC_CHECK_PTR(ctx, spike_count);
    *spike_count = 0;
    if (n == 0) return HPC_STATUS_OK;
    if (n > INT32_MAX)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: n = %lld exceeds the int32 spike indices", __func__,
                        (long long)n);
    HPC_CHECK_PTR(ctx, v_in);
    HPC_CHECK_PTR(ctx, v);
    HPC_CHECK_PTR(ctx, refractory);
    HPC_CHECK_PTR(ctx, spikes);
    population_job j = {.k = neuro_kernels(ctx), .n = n, .grain = LIF_GRAIN, .spikes = spikes, .counts = counts,
                        .a = step_factor(method, dt, tau_m), .refractory_steps = refractory_steps, .v_in = v_in,
                        .s = s, .s_decay = s_decay, .v = v, .refractory = refractory};
    return run_population(ctx, &j, lif_chunk, spike_count);
}

HPC_API hpc_status hpc_hh_step(hpc_ctx* ctx, int64_t n, float dt, const float* i_in, float* v, float* m, float* h,
                               float* n_gate, int32_t* spikes, int64_t* spike_count, int32_t* counts) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    hpc_status st = check_positive(ctx, __func__, "dt", dt);
    if (st) return st;
    if (dt > 1.0f)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: dt = %g ms is above 1 ms", __func__, (double)dt);
    HPC_CHECK_PTR(ctx, spike_count);
    *spike_count = 0;
    if (n == 0) return HPC_STATUS_OK;
    if (n > INT32_MAX)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: n = %lld exceeds the int32 spike indices", __func__,
                        (long long)n);
    HPC_CHECK_PTR(ctx, v);
    HPC_CHECK_PTR(ctx, m);
    HPC_CHECK_PTR(ctx, h);
    HPC_CHECK_PTR(ctx, n_gate);
    HPC_CHECK_PTR(ctx, spikes);
    population_job j = {.k = neuro_kernels(ctx), .n = n, .grain = HH_GRAIN, .spikes = spikes, .counts = counts,
                        .dt = dt, .i_in = i_in, .v = v, .m = m, .h = h, .ng = n_gate};
    return run_population(ctx, &j, hh_chunk, spike_count);
}

HPC_API hpc_status hpc_hh_rest(hpc_ctx* ctx, int64_t n, float* v, float* m, float* h, float* n_gate) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n);
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, v);
    HPC_CHECK_PTR(ctx, m);
    HPC_CHECK_PTR(ctx, h);
    HPC_CHECK_PTR(ctx, n_gate);
    float am, bm, ah, bh, an, bn;
    hpc_hh_rates(HPC_HH_V_REST, &am, &bm, &ah, &bh, &an, &bn);
    for (int64_t i = 0; i < n; i++) {
        v[i] = HPC_HH_V_REST;
        m[i] = am / (am + bm);
        h[i] = ah / (ah + bh);
        n_gate[i] = an / (an + bn);
    }
    return HPC_STATUS_OK;
}

/* ---- filters ---- */

typedef struct {
    const hpc_neuro_kernels* k;
    int32_t order;
    float a, c, kx, d;
    float *x, *s;
} psc_job;

static void psc_range(void* arg, int64_t chunk, int64_t b, int64_t e) {
    const psc_job* j = (const psc_job*)arg;
    if (j->order == 0)
        j->k->decay(e - b, j->a, j->s + b);
    else
        j->k->psc2(e - b, j->a, j->c, j->kx, j->d, j->x + b, j->s + b);
}

HPC_API hpc_status hpc_psc_step(hpc_ctx* ctx, hpc_integrator method, int32_t order, int64_t n, float dt, float tau_s,
                                float* x, float* s) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_method(ctx, __func__, method);
    if (st) return st;
    if (order != 0 && order != 1)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: order = %d is not 0 or 1", __func__, order);
    HPC_CHECK_NONNEG(ctx, n);
    if ((st = check_positive(ctx, __func__, "dt", dt)) || (st = check_positive(ctx, __func__, "tau_s", tau_s))) return st;
    if (method == HPC_INTEGRATE_EULER && !(dt < tau_s))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: Euler needs dt < tau_s (dt = %g, tau_s = %g)", __func__,
                        (double)dt, (double)tau_s);
    if (n == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, s);
    if (order == 1) HPC_CHECK_PTR(ctx, x);
    float a = step_factor(method, dt, tau_s), kx = dt / tau_s;
    /* s <- (s c + kx x) d: Euler s (1 - dt/tau) + (dt/tau) x, exact (s + (dt/tau) x) e. */
    psc_job j = {neuro_kernels(ctx), order, a, method == HPC_INTEGRATE_EULER ? a : 1.0f, kx,
                 method == HPC_INTEGRATE_EULER ? 1.0f : a, x, s};
    return hpc_parallel_ranges(ctx, n, HPC_ELTWISE_GRAIN, psc_range, &j);
}

/* ---- propagation ---- */

static hpc_status check_spikes(hpc_ctx* ctx, const char* fn, int64_t n_pre, const int32_t* spikes, int64_t count) {
    for (int64_t q = 0; q < count; q++)
        if (spikes[q] < 0 || spikes[q] >= n_pre)
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: spikes[%lld] = %d is outside [0, n_pre = %lld)", fn,
                            (long long)q, spikes[q], (long long)n_pre);
    return HPC_STATUS_OK;
}

typedef struct {
    const hpc_neuro_kernels* k;
    int64_t n_post, nnz;
    const float* w;
    const int64_t* row_ptr;
    const hpc_synapse* syn;
    const int32_t* spikes;
    int64_t count;
    float* target;
    int64_t parts;
} propagate_job;

static void dense_range(void* arg, int64_t chunk, int64_t b, int64_t e) {
    const propagate_job* j = (const propagate_job*)arg;
    j->k->add_columns(e - b, j->w + b, j->n_post, j->spikes, j->count, j->target + b);
}

HPC_API hpc_status hpc_spikes_propagate_dense(hpc_ctx* ctx, int64_t n_pre, int64_t n_post, const float* w,
                                              const int32_t* spikes, int64_t spike_count, float* target) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n_pre);
    HPC_CHECK_NONNEG(ctx, n_post);
    HPC_CHECK_NONNEG(ctx, spike_count);
    int64_t size;
    HPC_CHECK_MUL(ctx, n_pre, n_post, &size);
    if (spike_count == 0 || n_post == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, w);
    HPC_CHECK_PTR(ctx, spikes);
    HPC_CHECK_PTR(ctx, target);
    hpc_status st = check_spikes(ctx, __func__, n_pre, spikes, spike_count);
    if (st) return st;
    propagate_job j = {.k = neuro_kernels(ctx), .n_post = n_post, .w = w, .spikes = spikes, .count = spike_count,
                       .target = target};
    int64_t work;
    if (hpc_mul_overflow(spike_count, n_post, &work) || work >= PROPAGATE_PARALLEL_MIN)
        return hpc_parallel_ranges(ctx, n_post, DENSE_GRAIN, dense_range, &j);
    dense_range(&j, 0, 0, n_post);
    return HPC_STATUS_OK;
}

/* First entry of [b, e) whose target is >= c (targets ascend within a row). */
static int64_t first_target_at_least(const hpc_synapse* syn, int64_t b, int64_t e, int32_t c) {
    while (b < e) {
        int64_t mid = b + (e - b) / 2;
        if (syn[mid].target < c) b = mid + 1;
        else e = mid;
    }
    return b;
}

/* Spikes ahead whose rows are prefetched: a row of a large matrix is a cold stretch of memory,
 * and without prefetching each row start waits for DRAM. */
#define CSR_PREFETCH_AHEAD 8
/* Cache lines prefetched per row (128 synapses: longer rows stream by themselves). */
#define CSR_PREFETCH_LINES 16

static inline void prefetch_row(const propagate_job* j, int64_t q) {
    int64_t r = j->spikes[q], b = j->row_ptr[r], e = j->row_ptr[r + 1];
    for (int64_t x = b, k = 0; x < e && k < CSR_PREFETCH_LINES; x += 8, k++) __builtin_prefetch(j->syn + x);
}

/* Part p of parts adds the synapses whose target lies in its slice of [0, n_post), so no two
 * threads write one target and each target receives its additions in list order. The bounds
 * test keeps writes inside target even for a matrix hpc_csr_check would reject. */
static void csr_part(void* arg, int64_t p, int32_t worker) {
    (void)worker;
    const propagate_job* j = (const propagate_job*)arg;
    const int64_t* row_ptr = j->row_ptr;
    const hpc_synapse* syn = j->syn;
    float* target = j->target;
    int32_t lo = (int32_t)(j->n_post * p / j->parts), hi = (int32_t)(j->n_post * (p + 1) / j->parts);
    uint32_t width = (uint32_t)(hi - lo);
    const int64_t count = j->count;
    for (int64_t q = 0; q < count && q < CSR_PREFETCH_AHEAD; q++) prefetch_row(j, q);
    if (j->parts == 1) {
        /* The whole target range: no search, no early exit. */
        for (int64_t q = 0; q < count; q++) {
            if (q + CSR_PREFETCH_AHEAD < count) prefetch_row(j, q + CSR_PREFETCH_AHEAD);
            int64_t r = j->spikes[q];
            for (int64_t b = row_ptr[r], e = row_ptr[r + 1]; b < e; b++) {
                uint32_t c = (uint32_t)syn[b].target;
                if (c < width) target[c] += syn[b].weight;
            }
        }
        return;
    }
    for (int64_t q = 0; q < count; q++) {
        if (q + CSR_PREFETCH_AHEAD < count) prefetch_row(j, q + CSR_PREFETCH_AHEAD);
        int64_t r = j->spikes[q], b = row_ptr[r], e = row_ptr[r + 1];
        b = first_target_at_least(syn, b, e, lo);
        for (; b < e; b++) {
            int32_t c = syn[b].target;
            if ((uint32_t)(c - lo) < width) target[c] += syn[b].weight;
            else if (c >= hi) break;
        }
    }
}

HPC_API hpc_status hpc_spikes_propagate_csr(hpc_ctx* ctx, int64_t n_pre, int64_t n_post, int64_t nnz,
                                            const int64_t* row_ptr, const hpc_synapse* synapses,
                                            const int32_t* spikes, int64_t spike_count, float* target) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n_pre);
    HPC_CHECK_NONNEG(ctx, n_post);
    HPC_CHECK_NONNEG(ctx, nnz);
    HPC_CHECK_NONNEG(ctx, spike_count);
    if (n_post > INT32_MAX)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: n_post = %lld exceeds the int32 columns", __func__,
                        (long long)n_post);
    if (spike_count == 0) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, row_ptr);
    HPC_CHECK_PTR(ctx, spikes);
    HPC_CHECK_PTR(ctx, target);
    if (nnz > 0) HPC_CHECK_PTR(ctx, synapses);
    hpc_status st = check_spikes(ctx, __func__, n_pre, spikes, spike_count);
    if (st) return st;
    int64_t events = 0;
    for (int64_t q = 0; q < spike_count; q++) {
        int64_t b = row_ptr[spikes[q]], e = row_ptr[spikes[q] + 1];
        if (b < 0 || e < b || e > nnz)
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                            "%s: row %d spans [%lld, %lld), not a range within [0, nnz = %lld)", __func__, spikes[q],
                            (long long)b, (long long)e, (long long)nnz);
        events += e - b;
    }
    propagate_job j = {.n_post = n_post, .nnz = nnz, .row_ptr = row_ptr, .syn = synapses, .spikes = spikes,
                       .count = spike_count, .target = target, .parts = 1};
    if (ctx->threads > 1 && events >= PROPAGATE_PARALLEL_MIN && n_post >= ctx->threads) {
        j.parts = ctx->threads;
        return hpc_parallel_for(ctx, j.parts, ctx->threads, csr_part, &j);
    }
    csr_part(&j, 0, 0);
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_csr_check(hpc_ctx* ctx, int64_t n_pre, int64_t n_post, int64_t nnz, const int64_t* row_ptr,
                                 const hpc_synapse* synapses) {
    HPC_CHECK_CTX(ctx);
    HPC_CHECK_NONNEG(ctx, n_pre);
    HPC_CHECK_NONNEG(ctx, n_post);
    HPC_CHECK_NONNEG(ctx, nnz);
    HPC_CHECK_PTR(ctx, row_ptr);
    if (nnz > 0) HPC_CHECK_PTR(ctx, synapses);
    if (row_ptr[0] != 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: row_ptr[0] = %lld, not 0", __func__, (long long)row_ptr[0]);
    if (row_ptr[n_pre] != nnz)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: row_ptr[n_pre] = %lld, not nnz = %lld", __func__,
                        (long long)row_ptr[n_pre], (long long)nnz);
    for (int64_t r = 0; r < n_pre; r++) {
        if (row_ptr[r + 1] < row_ptr[r] || row_ptr[r + 1] > nnz)
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: row_ptr[%lld] = %lld is out of order", __func__,
                            (long long)(r + 1), (long long)row_ptr[r + 1]);
        for (int64_t e = row_ptr[r]; e < row_ptr[r + 1]; e++) {
            int32_t c = synapses[e].target;
            if (c < 0 || c >= n_post)
                return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                                "%s: synapses[%lld].target = %d is outside [0, n_post = %lld)", __func__, (long long)e, c,
                                (long long)n_post);
            if (e > row_ptr[r] && c <= synapses[e - 1].target)
                return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT,
                                "%s: row %lld's targets do not ascend at synapses[%lld].target = %d", __func__, (long long)r,
                                (long long)e, c);
        }
    }
    return HPC_STATUS_OK;
}
