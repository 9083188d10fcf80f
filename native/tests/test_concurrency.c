/* Every threaded kernel family under concurrency: the fixed workload of workload.h run with 1, 2
 * and 4 threads repeatedly on one context, then on several contexts from several threads at once,
 * then on one context handed from thread to thread; every run must equal the one-thread run bit
 * for bit. Built with ThreadSanitizer (./build.sh sanitize)
 * it is the race detector's workload; the OPENBLAS path is left out (OpenBLAS's own threads are not
 * instrumented, and its GEMMs are not bit-identical across thread counts).
 * Debug and test builds also check that a context entered by two threads at once is refused. */
#include "workload.h"
#include "core/internal.h" /* HPC_OWNER_CHECK and the claim functions */
#include <pthread.h>

/* ---- several contexts on several threads at once ---- */

typedef struct {
    const inputs* in;
    const outputs* ref;
    hpc_isa isa;
    int32_t threads;
    int rounds;
    hpc_ctx* shared; /* non-null: use this context instead of creating one */
    int failures;
} worker_job;

static void* worker_run(void* raw) {
    worker_job* j = (worker_job*)raw;
    outputs o;
    alloc_outputs(j->in, &o);
    hpc_ctx* ctx = j->shared ? j->shared : tu_ctx(j->isa, j->threads);
    for (int r = 0; r < j->rounds; r++)
        if (!run_workload(ctx, j->in, &o) || !same_outputs(&o, j->ref)) j->failures++;
    if (!j->shared) hpc_ctx_destroy(ctx);
    free_outputs(&o);
    return NULL;
}

#ifdef HPC_OWNER_CHECK
typedef struct {
    hpc_ctx* ctx;
    const inputs* in;
    outputs* o;
    hpc_status st;
} intruder;

static void* intrude(void* raw) {
    intruder* t = (intruder*)raw;
    t->st = hpc_sgemm(t->ctx, HPC_NO_TRANS, HPC_NO_TRANS, GM, GN, GK, 1.0f, t->in->a, GK, t->in->b, GN, 0.0f,
                      t->o->buf[0], GN);
    return NULL;
}
#endif

static void check_owner_thread(const inputs* in) {
#ifdef HPC_OWNER_CHECK
    hpc_ctx* ctx = tu_ctx(HPC_ISA_SCALAR, 1);
    outputs o;
    alloc_outputs(in, &o);
    /* This thread holds the context as an entry point in progress would; a second thread entering
     * it is refused with a message saying why. */
    hpc_ctx* claim = NULL;
    TU_CHECK(hpc_ctx_claim(ctx, &claim) && claim == ctx, "claim of a free context");
    intruder t = {ctx, in, &o, HPC_STATUS_OK};
    pthread_t th;
    pthread_create(&th, NULL, intrude, &t);
    pthread_join(th, NULL);
    TU_CHECK(t.st == HPC_STATUS_INVALID_ARGUMENT, "second thread's call: status %s", hpc_status_name(t.st));
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "in use by another thread") != NULL, "message '%s'",
             hpc_ctx_last_error(ctx));
    /* The holder's own (nested) calls still run; after the release another thread may use it. */
    TU_CHECK(run_workload(ctx, in, &o), "calls from the holding thread: %s", hpc_ctx_last_error(ctx));
    hpc_ctx_release(&claim);
    pthread_create(&th, NULL, intrude, &t);
    pthread_join(th, NULL);
    TU_CHECK(t.st == HPC_STATUS_OK, "after release: status %s: %s", hpc_status_name(t.st), hpc_ctx_last_error(ctx));
    free_outputs(&o);
    hpc_ctx_destroy(ctx);
    printf("owner-thread check: a second thread entering a busy context is refused\n");
#else
    (void)in;
    printf("SKIP owner-thread check: release build (NDEBUG, no HPC_TEST_HOOKS)\n");
#endif
}

int main(int argc, char** argv) {
    /* rounds per configuration: a few in CI; ./build.sh soak passes more */
    int rounds = 2;
    if (argc > 1 && strcmp(argv[1], "--isa") != 0) rounds = atoi(argv[1]);
    else tu_init(argc, argv); /* CTest's per-path entries: "--isa <path>" */
    if (rounds < 1) rounds = 1;
    inputs in;
    fill_inputs(&in);
    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    for (int i = 0; i < nisa; i++) {
        if (isas[i] == HPC_ISA_OPENBLAS) continue;
        outputs ref, o;
        alloc_outputs(&in, &ref);
        alloc_outputs(&in, &o);
        hpc_ctx* one = tu_ctx(isas[i], 1);
        TU_CHECK(run_workload(one, &in, &ref), "%s: 1 thread: %s", hpc_isa_name(isas[i]), hpc_ctx_last_error(one));
        hpc_ctx_destroy(one);

        /* one context, 1 / 2 / 4 threads, repeatedly (its pool and workspaces are reused) */
        const int32_t threads[] = {1, 2, 4};
        for (int t = 0; t < 3; t++) {
            hpc_ctx* ctx = tu_ctx(isas[i], threads[t]);
            for (int r = 0; r < rounds; r++) {
                TU_CHECK(run_workload(ctx, &in, &o), "%s: %d threads: %s", hpc_isa_name(isas[i]), threads[t],
                         hpc_ctx_last_error(ctx));
                TU_CHECK(same_outputs(&o, &ref), "%s: %d threads, round %d differs from 1 thread",
                         hpc_isa_name(isas[i]), threads[t], r);
            }
            hpc_ctx_destroy(ctx);
        }

        /* four contexts (1, 2, 4 and 2 threads) on four threads at once */
        worker_job jobs[4];
        pthread_t th[4];
        for (int w = 0; w < 4; w++) {
            jobs[w] = (worker_job){&in, &ref, isas[i], w == 3 ? 2 : threads[w], rounds, NULL, 0};
            pthread_create(&th[w], NULL, worker_run, &jobs[w]);
        }
        for (int w = 0; w < 4; w++) {
            pthread_join(th[w], NULL);
            TU_CHECK(jobs[w].failures == 0, "%s: concurrent context %d (%d threads): %d of %d rounds wrong",
                     hpc_isa_name(isas[i]), w, jobs[w].threads, jobs[w].failures, rounds);
        }

        /* one context handed from thread to thread, one at a time (allowed) */
        hpc_ctx* handed = tu_ctx(isas[i], 2);
        for (int w = 0; w < 3; w++) {
            worker_job j = {&in, &ref, isas[i], 2, rounds, handed, 0};
            pthread_t t1;
            pthread_create(&t1, NULL, worker_run, &j);
            pthread_join(t1, NULL);
            TU_CHECK(j.failures == 0, "%s: context handed to thread %d: %d rounds wrong", hpc_isa_name(isas[i]), w,
                     j.failures);
        }
        hpc_ctx_destroy(handed);
        printf("%s: 1/2/4 threads x %d rounds, 4 concurrent contexts, a handed-over context: equal to 1 thread\n",
               hpc_isa_name(isas[i]), rounds);
        free_outputs(&ref);
        free_outputs(&o);
    }
    int32_t has512 = 0;
    hpc_isa_supported(HPC_ISA_AVX512, &has512);
    if (!has512) printf("SKIP avx512: not supported by this CPU\n");
    check_owner_thread(&in);
    free_inputs(&in);
    return tu_finish("test_concurrency");
}
