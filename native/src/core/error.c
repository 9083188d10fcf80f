#include "core/internal.h"
#include <stdarg.h>
#include <stdio.h>

static _Thread_local char thread_error[HPC_ERROR_CAPACITY];

hpc_status hpc_fail(const hpc_ctx* ctx, hpc_status status, const char* fmt, ...) {
    /* The message buffer is logically mutable state of a const-viewed context. */
    char* dst = ctx ? ((hpc_ctx*)ctx)->error : thread_error;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, HPC_ERROR_CAPACITY, fmt, ap);
    va_end(ap);
    return status;
}

HPC_API const char* hpc_last_error(void) { return thread_error; }

HPC_API const char* hpc_ctx_last_error(const hpc_ctx* ctx) {
    return ctx ? ctx->error : "ctx is null";
}

HPC_API const char* hpc_status_name(hpc_status status) {
    switch (status) {
    case HPC_STATUS_OK: return "OK";
    case HPC_STATUS_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case HPC_STATUS_OUT_OF_MEMORY: return "OUT_OF_MEMORY";
    case HPC_STATUS_UNSUPPORTED: return "UNSUPPORTED";
    case HPC_STATUS_NUMERICAL_ERROR: return "NUMERICAL_ERROR";
    case HPC_STATUS_INTERNAL_ERROR: return "INTERNAL_ERROR";
    }
    return "UNKNOWN_STATUS";
}
