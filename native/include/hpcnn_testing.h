/*
 * hpcnn_testing.h - hooks of test builds only (CMake -DHPC_TEST_HOOKS=ON, as ./build.sh sanitize
 * and ./build.sh fuzz configure them). Release builds do not export these symbols, and the C#
 * bindings are not generated from this file.
 */
#ifndef HPCNN_TESTING_H
#define HPCNN_TESTING_H

#include "hpcnn.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Makes the k-th native allocation from now on fail (k = 1: the next one), once; k <= 0 turns
 *  the injection off. Resets hpc_testing_allocation_count. Every allocation of the library counts:
 *  contexts, thread pools and their workers, workspaces and per-worker scratch. */
HPC_API void hpc_testing_fail_allocation(int64_t k);

/** Native allocations attempted since the last hpc_testing_fail_allocation call (the one that was
 *  made to fail included). */
HPC_API int64_t hpc_testing_allocation_count(void);

#ifdef __cplusplus
}
#endif

#endif /* HPCNN_TESTING_H */
