/* Persistent thread pool of a context, plus per-worker scratch buffers (GEMM pack buffers).
 *
 * Workers are created lazily on the first parallel call that wants them (up to ctx->threads - 1;
 * the caller is worker 0) and live until the context is destroyed. A call publishes its job by
 * bumping a generation counter; idle workers spin on it briefly (a layer's consecutive GEMMs
 * arrive microseconds apart) and then sleep on a condition variable, so an idle context costs no
 * CPU. Tasks are claimed from an atomic counter; the work of a task never depends on which worker
 * runs it. A parallel_for issued from inside a task runs serially on that task's thread. */
#include "core/internal.h"
#include <immintrin.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define POOL_MAX_WORKERS 1024
/* ~30-60 us of polling on a 2.5-4 GHz core: covers back-to-back calls without burning a core
 * when the context goes idle. */
#define POOL_SPIN_ITERS 4000

typedef struct hpc_pool {
    pthread_mutex_t mu;
    pthread_cond_t start_cv, done_cv;
    atomic_uint_fast64_t generation;
    atomic_int_fast64_t next_task;
    atomic_int remaining; /* participating workers (excluding the caller) not yet finished */
    int stop;
    /* the job of the current generation */
    hpc_task_fn fn;
    void* arg;
    int64_t ntasks;
    int32_t nthreads;
    int pinned; /* task t runs on worker t % nthreads instead of whichever claims it */
    int32_t nworkers; /* threads started, ids 1..nworkers */
    pthread_t threads[POOL_MAX_WORKERS];
    void* scratch[POOL_MAX_WORKERS];
    size_t scratch_bytes[POOL_MAX_WORKERS];
} hpc_pool;

typedef struct worker_start {
    hpc_pool* pool;
    int32_t id;
    uint64_t seen; /* generation when the worker was created: the first job it may take is the next */
} worker_start;

/* The generation word carries the job's thread count, so a worker that is not part of a job
 * decides so without reading job fields a later call may already be rewriting. */
#define GEN_THREADS(g) ((int32_t)((g)&0xFFFF))

static _Thread_local int32_t tl_worker = -1;

int32_t hpc_pool_current_worker(void) { return tl_worker; }

static void run_tasks(hpc_pool* p, int32_t id) {
    if (p->pinned) {
        for (int64_t t = id; t < p->ntasks; t += p->nthreads) p->fn(p->arg, t, id);
        return;
    }
    for (;;) {
        int64_t t = atomic_fetch_add_explicit(&p->next_task, 1, memory_order_relaxed);
        if (t >= p->ntasks) break;
        p->fn(p->arg, t, id);
    }
}

static void* worker_main(void* raw) {
    worker_start ws = *(worker_start*)raw;
    free(raw);
    hpc_pool* p = ws.pool;
    tl_worker = ws.id;
    uint64_t seen = ws.seen;
    for (;;) {
        uint64_t g = seen;
        for (int i = 0; i < POOL_SPIN_ITERS; i++) {
            g = atomic_load_explicit(&p->generation, memory_order_acquire);
            if (g != seen) break;
            _mm_pause();
        }
        if (g == seen) {
            pthread_mutex_lock(&p->mu);
            while ((g = atomic_load_explicit(&p->generation, memory_order_acquire)) == seen && !p->stop)
                pthread_cond_wait(&p->start_cv, &p->mu);
            int stop = p->stop;
            pthread_mutex_unlock(&p->mu);
            if (stop) return NULL;
        }
        seen = g;
        if (ws.id >= GEN_THREADS(g)) continue;
        run_tasks(p, ws.id);
        if (atomic_fetch_sub_explicit(&p->remaining, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&p->mu);
            pthread_cond_signal(&p->done_cv);
            pthread_mutex_unlock(&p->mu);
        }
    }
}

static hpc_pool* pool_get(hpc_ctx* ctx) {
    if (ctx->pool) return ctx->pool;
    hpc_pool* p = hpc_alloc_fault() ? NULL : calloc(1, sizeof *p);
    if (!p) return NULL;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->start_cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    atomic_init(&p->generation, 0);
    atomic_init(&p->next_task, 0);
    atomic_init(&p->remaining, 0);
    ctx->pool = p;
    return p;
}

/* Starts workers until ids 1..want-1 exist; returns how many threads can take part. */
static int32_t pool_grow(hpc_pool* p, int32_t want) {
    if (want > POOL_MAX_WORKERS) want = POOL_MAX_WORKERS;
    while (p->nworkers + 1 < want) {
        worker_start* ws = hpc_alloc_fault() ? NULL : malloc(sizeof *ws);
        if (!ws) break;
        ws->pool = p;
        ws->id = p->nworkers + 1;
        ws->seen = atomic_load_explicit(&p->generation, memory_order_relaxed);
        if (pthread_create(&p->threads[p->nworkers], NULL, worker_main, ws) != 0) {
            free(ws);
            break;
        }
        p->nworkers++;
    }
    return p->nworkers + 1 < want ? p->nworkers + 1 : want;
}

static hpc_status parallel_run(hpc_ctx* ctx, int64_t ntasks, int32_t nthreads, hpc_task_fn fn, void* arg, int pinned) {
    if (ntasks <= 0) return HPC_STATUS_OK;
    if (nthreads > ctx->threads) nthreads = ctx->threads;
    if (nthreads > ntasks) nthreads = (int32_t)ntasks;
    if (nthreads <= 1 || tl_worker >= 0) {
        int32_t saved = tl_worker;
        tl_worker = saved >= 0 ? saved : 0;
        for (int64_t t = 0; t < ntasks; t++) fn(arg, t, 0);
        tl_worker = saved;
        return HPC_STATUS_OK;
    }
    hpc_pool* p = pool_get(ctx);
    if (!p) return hpc_fail(ctx, HPC_STATUS_OUT_OF_MEMORY, "hpc_parallel_for: cannot allocate the thread pool");
    nthreads = pool_grow(p, nthreads);
    p->fn = fn;
    p->arg = arg;
    p->ntasks = ntasks;
    p->nthreads = nthreads;
    p->pinned = pinned;
    atomic_store_explicit(&p->next_task, 0, memory_order_relaxed);
    atomic_store_explicit(&p->remaining, nthreads - 1, memory_order_relaxed);
    pthread_mutex_lock(&p->mu);
    uint64_t g = atomic_load_explicit(&p->generation, memory_order_relaxed);
    atomic_store_explicit(&p->generation, (((g >> 16) + 1) << 16) | (uint64_t)nthreads, memory_order_release);
    pthread_cond_broadcast(&p->start_cv);
    pthread_mutex_unlock(&p->mu);

    tl_worker = 0;
    run_tasks(p, 0);
    tl_worker = -1;

    for (int i = 0; i < POOL_SPIN_ITERS && atomic_load_explicit(&p->remaining, memory_order_acquire) != 0; i++)
        _mm_pause();
    if (atomic_load_explicit(&p->remaining, memory_order_acquire) != 0) {
        pthread_mutex_lock(&p->mu);
        while (atomic_load_explicit(&p->remaining, memory_order_acquire) != 0) pthread_cond_wait(&p->done_cv, &p->mu);
        pthread_mutex_unlock(&p->mu);
    }
    return HPC_STATUS_OK;
}

hpc_status hpc_parallel_for(hpc_ctx* ctx, int64_t ntasks, int32_t nthreads, hpc_task_fn fn, void* arg) {
    return parallel_run(ctx, ntasks, nthreads, fn, arg, 0);
}

hpc_status hpc_parallel_for_pinned(hpc_ctx* ctx, int64_t ntasks, int32_t nthreads, hpc_task_fn fn, void* arg) {
    return parallel_run(ctx, ntasks, nthreads, fn, arg, 1);
}

void* hpc_pool_scratch(hpc_ctx* ctx, int32_t worker, size_t bytes) {
    if (worker < 0 || worker >= POOL_MAX_WORKERS) return NULL;
    hpc_pool* p = pool_get(ctx);
    if (!p) return NULL;
    if (p->scratch_bytes[worker] < bytes) {
        hpc_aligned_free(p->scratch[worker]);
        p->scratch[worker] = hpc_aligned_alloc(bytes);
        p->scratch_bytes[worker] = p->scratch[worker] ? bytes : 0;
    }
    return p->scratch[worker];
}

void hpc_pool_destroy(struct hpc_pool* p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->start_cv);
    pthread_mutex_unlock(&p->mu);
    for (int32_t i = 0; i < p->nworkers; i++) pthread_join(p->threads[i], NULL);
    for (int32_t i = 0; i < POOL_MAX_WORKERS; i++) hpc_aligned_free(p->scratch[i]);
    pthread_cond_destroy(&p->start_cv);
    pthread_cond_destroy(&p->done_cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
