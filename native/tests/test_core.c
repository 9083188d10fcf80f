/* Context, ISA selection, CPU features, error reporting. */
#include "testutil.h"

int main(int argc, char** argv) {
    tu_init(argc, argv);
    hpc_ctx* ctx = NULL;
    TU_OK(hpc_ctx_create(&ctx));
    TU_CHECK(ctx != NULL, "context created");
    TU_CHECK(hpc_version() > 0, "version %d", hpc_version());

    hpc_cpu_features f;
    TU_OK(hpc_get_cpu_features(&f));
    TU_CHECK(f.logical_cores >= 1, "cores %d", f.logical_cores);
    char brand[64];
    TU_OK(hpc_get_cpu_brand(brand, sizeof brand));
    TU_CHECK(strlen(brand) > 0, "brand");
    TU_CHECK(hpc_get_cpu_brand(brand, 0) == HPC_STATUS_INVALID_ARGUMENT, "capacity 0");

    /* AUTO resolves to the best path, never to AUTO itself. */
    TU_OK(hpc_ctx_set_isa(ctx, HPC_ISA_AUTO));
    hpc_isa isa;
    TU_OK(hpc_ctx_get_isa(ctx, &isa));
    TU_CHECK(isa != HPC_ISA_AUTO, "auto resolved");
    if (f.avx512f && f.avx512bw && f.avx512dq && f.avx512vl) TU_CHECK(isa == HPC_ISA_AVX512, "auto picks avx512");

    /* Every path either selects or says UNSUPPORTED with a message; never crashes. */
    for (int i = HPC_ISA_SCALAR; i <= HPC_ISA_OPENBLAS; i++) {
        int32_t ok = -1;
        TU_OK(hpc_isa_supported((hpc_isa)i, &ok));
        hpc_status st = hpc_ctx_set_isa(ctx, (hpc_isa)i);
        if (ok) {
            TU_CHECK(st == HPC_STATUS_OK, "select %s", hpc_isa_name((hpc_isa)i));
            TU_OK(hpc_ctx_get_isa(ctx, &isa));
            TU_CHECK(isa == (hpc_isa)i, "selected %s", hpc_isa_name((hpc_isa)i));
        } else {
            TU_CHECK(st == HPC_STATUS_UNSUPPORTED, "unsupported %s", hpc_isa_name((hpc_isa)i));
            TU_CHECK(strlen(hpc_ctx_last_error(ctx)) > 0, "message for unsupported");
        }
    }
    TU_CHECK(hpc_ctx_set_isa(ctx, (hpc_isa)99) == HPC_STATUS_INVALID_ARGUMENT, "unknown isa");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "99") != NULL, "message names the value: %s", hpc_ctx_last_error(ctx));

    /* Threads. */
    int32_t t = 0;
    TU_OK(hpc_ctx_set_threads(ctx, 2));
    TU_OK(hpc_ctx_get_threads(ctx, &t));
    TU_CHECK(t == 2, "threads %d", t);
    TU_CHECK(hpc_ctx_set_threads(ctx, -1) == HPC_STATUS_INVALID_ARGUMENT, "negative threads");
    TU_OK(hpc_ctx_set_threads(ctx, 0));
    TU_OK(hpc_ctx_get_threads(ctx, &t));
    TU_CHECK(t == f.logical_cores, "0 threads = cores (%d)", t);

    /* Null arguments. */
    TU_CHECK(hpc_ctx_create(NULL) == HPC_STATUS_INVALID_ARGUMENT, "null out");
    TU_CHECK(strlen(hpc_last_error()) > 0, "thread message");
    TU_CHECK(hpc_ctx_set_isa(NULL, HPC_ISA_AUTO) == HPC_STATUS_INVALID_ARGUMENT, "null ctx");
    TU_CHECK(strcmp(hpc_status_name(HPC_STATUS_UNSUPPORTED), "UNSUPPORTED") == 0, "status name");
    hpc_ctx_destroy(NULL);

    /* HPC_ISA environment override. */
    setenv("HPC_ISA", "scalar", 1);
    hpc_ctx* c2 = NULL;
    TU_OK(hpc_ctx_create(&c2));
    TU_OK(hpc_ctx_get_isa(c2, &isa));
    TU_CHECK(isa == HPC_ISA_SCALAR, "HPC_ISA=scalar");
    hpc_ctx_destroy(c2);
    setenv("HPC_ISA", "bogus", 1);
    c2 = NULL;
    TU_CHECK(hpc_ctx_create(&c2) == HPC_STATUS_INVALID_ARGUMENT && c2 == NULL, "HPC_ISA=bogus");
    TU_CHECK(strstr(hpc_last_error(), "bogus") != NULL, "message: %s", hpc_last_error());
    /* An explicit path ignores HPC_ISA, even one that names no path. */
    c2 = NULL;
    TU_OK(hpc_ctx_create_with_isa(HPC_ISA_SCALAR, &c2));
    TU_OK(hpc_ctx_get_isa(c2, &isa));
    TU_CHECK(isa == HPC_ISA_SCALAR, "create_with_isa(scalar) under HPC_ISA=bogus");
    hpc_ctx_destroy(c2);
    c2 = NULL;
    TU_CHECK(hpc_ctx_create_with_isa((hpc_isa)42, &c2) == HPC_STATUS_INVALID_ARGUMENT && c2 == NULL, "isa 42");
    unsetenv("HPC_ISA");

    hpc_ctx_destroy(ctx);
    return tu_finish("test_core");
}
