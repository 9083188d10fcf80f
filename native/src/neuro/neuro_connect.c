/* Random CSR connectivity from the Philox streams: row j draws its gaps from stream elements
 * j * n_post + 0, 1, ... of seed and its weights from the same elements of a second key, so a
 * row depends only on (seed, j) and rows are built in parallel chunks identically on every
 * path and thread count. Initialisation, not a hot loop: scalar double-precision logs. */
#include "core/internal.h"
#include "random/random_internal.h"
#include "simd/parallel_ranges.h"
#include <math.h>

#define ROW_GRAIN ((int64_t)256)
/* Key of the weight stream: the seed moved by the golden-ratio constant. */
#define WEIGHT_KEY_OFFSET 0x9E3779B97F4A7C15ull

typedef struct {
    uint64_t seed;
    int64_t n_post;
    double log_q; /* log(1 - p) */
    int all;      /* p = 1 */
    float lo, range;
    int64_t* row_len; /* pass 1 output: row_ptr + 1 */
    const int64_t* row_ptr;
    hpc_synapse* syn;
} connect_job;

/* The column after prev (-1 at the start of a row) that element g's gap lands on. */
static int64_t next_col(const connect_job* j, hpc_rng_stream* st, uint64_t g, int64_t prev) {
    if (j->all) return prev + 1;
    double u = ((double)(hpc_rng_stream_word(st, g) >> 8) + 1.0) * (1.0 / 16777216.0); /* (0, 1] */
    double gap = floor(log(u) / j->log_q);
    return gap >= (double)(j->n_post - prev) ? j->n_post : prev + 1 + (int64_t)gap;
}

static void count_rows(void* arg, int64_t chunk, int64_t b, int64_t e) {
    const connect_job* j = (const connect_job*)arg;
    hpc_rng_stream st = hpc_rng_stream_start(j->seed);
    for (int64_t r = b; r < e; r++) {
        uint64_t g = (uint64_t)r * (uint64_t)j->n_post;
        int64_t len = 0;
        for (int64_t c = next_col(j, &st, g, -1); c < j->n_post; c = next_col(j, &st, g + (uint64_t)len, c)) len++;
        j->row_len[r] = len;
    }
}

static void fill_rows(void* arg, int64_t chunk, int64_t b, int64_t e) {
    const connect_job* j = (const connect_job*)arg;
    hpc_rng_stream st = hpc_rng_stream_start(j->seed), wt = hpc_rng_stream_start(j->seed + WEIGHT_KEY_OFFSET);
    for (int64_t r = b; r < e; r++) {
        uint64_t g = (uint64_t)r * (uint64_t)j->n_post;
        int64_t at = j->row_ptr[r], end = j->row_ptr[r + 1], k = 0;
        for (int64_t c = next_col(j, &st, g, -1); c < j->n_post && at < end; c = next_col(j, &st, g + (uint64_t)k, c)) {
            j->syn[at].target = (int32_t)c;
            j->syn[at].weight = j->lo + j->range * hpc_rng_unit(hpc_rng_stream_word(&wt, g + (uint64_t)k));
            at++, k++;
        }
    }
}

static hpc_status check_connect(hpc_ctx* ctx, const char* fn, int64_t n_pre, int64_t n_post, float p) {
    if (n_pre < 0 || n_post < 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: n_pre = %lld, n_post = %lld: sizes must be >= 0", fn,
                        (long long)n_pre, (long long)n_post);
    if (n_pre >= INT32_MAX || n_post >= INT32_MAX)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: n_pre = %lld, n_post = %lld exceed the int32 indices",
                        fn, (long long)n_pre, (long long)n_post);
    if (!(p >= 0.0f && p <= 1.0f))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: p = %g is outside [0, 1]", fn, (double)p);
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_random_csr_rows(hpc_ctx* ctx, uint64_t seed, int64_t n_pre, int64_t n_post, float p,
                                       int64_t* row_ptr, int64_t* nnz) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_connect(ctx, __func__, n_pre, n_post, p);
    if (st) return st;
    HPC_CHECK_PTR(ctx, row_ptr);
    HPC_CHECK_PTR(ctx, nnz);
    row_ptr[0] = 0;
    if (p == 0.0f || n_post == 0) {
        for (int64_t r = 0; r < n_pre; r++) row_ptr[r + 1] = 0;
    } else {
        connect_job j = {.seed = seed, .n_post = n_post, .log_q = log1p(-(double)p), .all = p == 1.0f,
                         .row_len = row_ptr + 1};
        if ((st = hpc_parallel_ranges(ctx, n_pre, ROW_GRAIN, count_rows, &j))) return st;
        for (int64_t r = 0; r < n_pre; r++) row_ptr[r + 1] += row_ptr[r];
    }
    *nnz = row_ptr[n_pre];
    return HPC_STATUS_OK;
}

HPC_API hpc_status hpc_random_csr_fill(hpc_ctx* ctx, uint64_t seed, int64_t n_pre, int64_t n_post, float p, float lo,
                                       float hi, const int64_t* row_ptr, hpc_synapse* synapses) {
    HPC_CHECK_CTX(ctx);
    hpc_status st = check_connect(ctx, __func__, n_pre, n_post, p);
    if (st) return st;
    HPC_CHECK_FINITE(ctx, lo);
    HPC_CHECK_FINITE(ctx, hi);
    if (!(lo <= hi) || !isfinite(hi - lo))
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: [lo, hi) = [%g, %g) is not an interval of finite width",
                        __func__, (double)lo, (double)hi);
    HPC_CHECK_PTR(ctx, row_ptr);
    if (row_ptr[0] != 0)
        return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: row_ptr[0] = %lld, not 0", __func__, (long long)row_ptr[0]);
    for (int64_t r = 0; r < n_pre; r++)
        if (row_ptr[r + 1] < row_ptr[r] || row_ptr[r + 1] - row_ptr[r] > n_post)
            return hpc_fail(ctx, HPC_STATUS_INVALID_ARGUMENT, "%s: row_ptr[%lld] = %lld is not a row end of hpc_random_csr_rows",
                            __func__, (long long)(r + 1), (long long)row_ptr[r + 1]);
    if (row_ptr[n_pre] == 0 || p == 0.0f) return HPC_STATUS_OK;
    HPC_CHECK_PTR(ctx, synapses);
    connect_job j = {.seed = seed, .n_post = n_post, .log_q = log1p(-(double)p), .all = p == 1.0f, .lo = lo,
                     .range = hi - lo, .row_ptr = row_ptr, .syn = synapses};
    return hpc_parallel_ranges(ctx, n_pre, ROW_GRAIN, fill_rows, &j);
}
