/* Cache blocking: MC/KC/NC for a register tile from the CPU's cache sizes. */
#include "core/internal.h"
#include "gemm/gemm_internal.h"
#include <string.h>

/* KC: one A micro-panel plus one B micro-panel fill ~3/4 of L1 (the B panel is reused across all
 * A panels of the block, A panels stream through). MC: the packed A block takes ~half of L2.
 * NC: the packed B block stays well inside this core's share of L3. */
void hpc_gemm_blocking(int32_t mr, int32_t nr, int64_t* mc, int64_t* kc, int64_t* nc) {
    hpc_cpu_features f;
    memset(&f, 0, sizeof f);
    hpc_get_cpu_features(&f);
    int64_t l1 = f.l1d_bytes > 0 ? f.l1d_bytes : 32 * 1024;
    int64_t l2 = f.l2_bytes > 0 ? f.l2_bytes : 512 * 1024;
    int64_t l3 = f.l3_bytes > 0 ? f.l3_bytes : 8 * 1024 * 1024;
    int64_t k = (l1 * 3 / 4) / ((int64_t)(mr + nr) * 4);
    k = k / 16 * 16;
    if (k < 128) k = 128;
    if (k > 512) k = 512;
    int64_t m = (l2 / 2) / (k * 4);
    m = m / mr * mr;
    if (m < mr * 4) m = mr * 4;
    if (m > mr * 64) m = mr * 64;
    int64_t cores = f.logical_cores > 0 ? f.logical_cores : 1;
    int64_t n = (l3 / cores / 2) / (k * 4);
    n = n / nr * nr;
    if (n < nr * 16) n = nr * 16;
    if (n > 8192) n = 8192 / nr * nr;
    *mc = m;
    *kc = k;
    *nc = n;
}
