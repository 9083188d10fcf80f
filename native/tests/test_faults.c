/* Allocation failures (test builds, HPC_TEST_HOOKS): for every k, the k-th native allocation of a
 * training step's calls -- a fresh context with two threads running the workload of workload.h --
 * is made to fail. The call that needed it must return OUT_OF_MEMORY with a message (no other
 * status, no crash), and the same context must then run the whole workload to the results of an
 * undisturbed run. A failed worker-thread start is allowed to go unreported: the pool runs with the
 * threads it has and the results do not change. Under AddressSanitizer the run also proves that no
 * failure path leaks (LeakSanitizer checks at exit). */
#ifdef HPC_TEST_HOOKS
#include "hpcnn_testing.h"
#include "workload.h"

int main(void) {
    inputs in;
    fill_inputs(&in);
    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    for (int i = 0; i < nisa; i++) {
        if (isas[i] == HPC_ISA_OPENBLAS) continue; /* OpenBLAS allocates with its own allocator */
        outputs ref, o;
        alloc_outputs(&in, &ref);
        alloc_outputs(&in, &o);

        hpc_testing_fail_allocation(0);
        hpc_ctx* clean = tu_ctx(isas[i], 2);
        TU_OK(run_workload_at(clean, &in, &ref, NULL));
        hpc_ctx_destroy(clean);
        int64_t total = hpc_testing_allocation_count();
        /* a context, its pool and a worker at the least */
        TU_CHECK(total >= 3, "%s: the workload made only %lld allocations", hpc_isa_name(isas[i]), (long long)total);

        int reported = 0, silent = 0;
        for (int64_t k = 1; k <= total; k++) {
            hpc_testing_fail_allocation(k);
            hpc_ctx* ctx = NULL;
            hpc_status st = hpc_ctx_create_with_isa(isas[i], &ctx);
            if (st != HPC_STATUS_OK) {
                TU_CHECK(st == HPC_STATUS_OUT_OF_MEMORY && ctx == NULL && hpc_last_error()[0],
                         "k = %lld: hpc_ctx_create: %s '%s'", (long long)k, hpc_status_name(st), hpc_last_error());
                reported++;
                continue;
            }
            TU_OK(hpc_ctx_set_threads(ctx, 2));
            const char* call = NULL;
            st = run_workload_at(ctx, &in, &o, &call);
            if (st != HPC_STATUS_OK) {
                TU_CHECK(st == HPC_STATUS_OUT_OF_MEMORY, "%s, k = %lld: %s returned %s: %s", hpc_isa_name(isas[i]),
                         (long long)k, call, hpc_status_name(st), hpc_ctx_last_error(ctx));
                TU_CHECK(hpc_ctx_last_error(ctx)[0] != '\0', "%s, k = %lld: %s: OUT_OF_MEMORY without a message",
                         hpc_isa_name(isas[i]), (long long)k, call);
                reported++;
            } else {
                TU_CHECK(same_outputs(&o, &ref), "%s, k = %lld: an unreported failure changed the results",
                         hpc_isa_name(isas[i]), (long long)k);
                silent++;
            }
            hpc_testing_fail_allocation(0);
            TU_CHECK(run_workload_at(ctx, &in, &o, &call) == HPC_STATUS_OK, "%s, k = %lld: context unusable after: %s: %s",
                     hpc_isa_name(isas[i]), (long long)k, call, hpc_ctx_last_error(ctx));
            TU_CHECK(same_outputs(&o, &ref), "%s, k = %lld: results after the failure differ", hpc_isa_name(isas[i]),
                     (long long)k);
            hpc_ctx_destroy(ctx);
        }
        printf("%s: %lld allocations in a step; each failed once: %d reported OUT_OF_MEMORY, %d absorbed "
               "(worker starts), context usable after every one\n",
               hpc_isa_name(isas[i]), (long long)total, reported, silent);
        free_outputs(&ref);
        free_outputs(&o);
    }
    hpc_testing_fail_allocation(0);
    free_inputs(&in);
    return tu_finish("test_faults");
}

#else
#include <stdio.h>

int main(void) {
    printf("SKIP test_faults: allocation-failure injection needs a test build (-DHPC_TEST_HOOKS=ON, ./build.sh sanitize)\n");
    return 77;
}
#endif
