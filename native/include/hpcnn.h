/*
 * hpcnn.h - the whole C ABI of the Hpc neural-network kernel library.
 *
 * Conventions (ARCHITECTURE.md):
 *  - every symbol starts with hpc_; every function returns hpc_status and puts outputs last;
 *  - sizes are int64_t; tensors are float32, row-major (NCHW for images);
 *  - every entry point validates its arguments and, on failure, returns a status whose message
 *    is readable from hpc_ctx_last_error(ctx); the library never aborts, prints or exits;
 *  - an hpc_ctx holds the thread count, the ISA path and reusable workspace; functions are
 *    thread-safe across contexts, and one context is used by one thread at a time.
 *
 * The C# bindings in src/Interop/Generated are generated from this file by tools/BindGen.
 * Doc comments written as block comments starting with two stars are copied into them.
 */
#ifndef HPCNN_H
#define HPCNN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(HPC_BUILDING)
#    define HPC_API __declspec(dllexport)
#  else
#    define HPC_API
#  endif
#else
#  define HPC_API __attribute__((visibility("default")))
#endif

/* ======================================================================================== */
/* core: status, context, CPU features                                                       */
/* ======================================================================================== */

/** Result of every call. The message of the last failure is hpc_ctx_last_error(ctx). */
typedef enum hpc_status {
    HPC_STATUS_OK = 0,
    /** A pointer was null, a size negative, a product overflowed, a shape mismatched. */
    HPC_STATUS_INVALID_ARGUMENT = 1,
    /** An allocation failed. */
    HPC_STATUS_OUT_OF_MEMORY = 2,
    /** The request is valid but this build or CPU cannot serve it (e.g. an ISA the CPU lacks). */
    HPC_STATUS_UNSUPPORTED = 3,
    /** The computation produced a non-finite value where a finite one was required. */
    HPC_STATUS_NUMERICAL_ERROR = 4,
    /** Anything else: a bug in the library. */
    HPC_STATUS_INTERNAL_ERROR = 5
} hpc_status;

/** Instruction-set path of a context. AUTO picks the best the CPU supports. */
typedef enum hpc_isa {
    HPC_ISA_AUTO = 0,
    /** Plain C: the readable reference every other path is tested against. */
    HPC_ISA_SCALAR = 1,
    /** AVX2 + FMA. */
    HPC_ISA_AVX2 = 2,
    /** AVX-512 F/BW/DQ/VL. */
    HPC_ISA_AVX512 = 3,
    /** OpenBLAS for GEMM (when built with it); other kernels use the best SIMD path. */
    HPC_ISA_OPENBLAS = 4
} hpc_isa;

/** BLAS-style transpose flag: op(X) = X or X^T. */
typedef enum hpc_transpose {
    HPC_NO_TRANS = 0,
    HPC_TRANS = 1
} hpc_transpose;

/** What the running CPU offers (CPUID, with OS support of the register state checked by XGETBV). */
typedef struct hpc_cpu_features {
    int32_t avx2;
    int32_t fma;
    int32_t avx512f;
    int32_t avx512bw;
    int32_t avx512dq;
    int32_t avx512vl;
    /** Logical processors available to this process. */
    int32_t logical_cores;
    int32_t reserved;
    /** Per-core L1 data cache in bytes (0 when unknown). */
    int64_t l1d_bytes;
    /** Per-core L2 cache in bytes (0 when unknown). */
    int64_t l2_bytes;
    /** Shared L3 cache in bytes (0 when unknown). */
    int64_t l3_bytes;
} hpc_cpu_features;

/** Opaque context: threads, ISA path, last error, reusable workspace. */
typedef struct hpc_ctx hpc_ctx;

/** Library version as major * 10000 + minor * 100 + patch. */
HPC_API int32_t hpc_version(void);

/** Creates a context with AUTO ISA (or the HPC_ISA environment variable: scalar|avx2|avx512|openblas)
 *  and one thread. Fails with UNSUPPORTED when HPC_ISA names a path this CPU or build lacks, and
 *  INVALID_ARGUMENT when it names no path; the message is then in hpc_last_error(). */
HPC_API hpc_status hpc_ctx_create(hpc_ctx** out);

/** Destroys a context and its workspace and threads. Null is ignored. */
HPC_API void hpc_ctx_destroy(hpc_ctx* ctx);

/** Selects the ISA path. UNSUPPORTED if the CPU (or, for OPENBLAS, this build) lacks it. */
HPC_API hpc_status hpc_ctx_set_isa(hpc_ctx* ctx, hpc_isa isa);

/** The ISA path in use (never AUTO: AUTO is resolved at selection). */
HPC_API hpc_status hpc_ctx_get_isa(const hpc_ctx* ctx, hpc_isa* out);

/** Sets the number of threads kernels may use (1..1024; 0 means one per logical core). */
HPC_API hpc_status hpc_ctx_set_threads(hpc_ctx* ctx, int32_t threads);

/** The number of threads kernels may use. */
HPC_API hpc_status hpc_ctx_get_threads(const hpc_ctx* ctx, int32_t* out);

/** Message of the last failed call on this context; "" when none. Valid until the next call. */
HPC_API const char* hpc_ctx_last_error(const hpc_ctx* ctx);

/** Message of the last failure on this thread that had no context to hold it (hpc_ctx_create, null ctx). */
HPC_API const char* hpc_last_error(void);

/** Short, fixed name of a status ("OK", "INVALID_ARGUMENT", ...). */
HPC_API const char* hpc_status_name(hpc_status status);

/** Short, fixed name of an ISA path ("auto", "scalar", "avx2", "avx512", "openblas"). */
HPC_API const char* hpc_isa_name(hpc_isa isa);

/** Fills out with what the running CPU supports. */
HPC_API hpc_status hpc_get_cpu_features(hpc_cpu_features* out);

/** Writes the CPU brand string, NUL-terminated and truncated to capacity bytes. */
HPC_API hpc_status hpc_get_cpu_brand(char* buffer, int64_t capacity);

/** Sets *out to 1 when the ISA path can be selected on this CPU and build, else 0. */
HPC_API hpc_status hpc_isa_supported(hpc_isa isa, int32_t* out);

/* ======================================================================================== */
/* gemm                                                                                      */
/* ======================================================================================== */

/** Row-major: C = alpha * op(A) * op(B) + beta * C, op(A) is m x k, op(B) is k x n.
 *  lda/ldb/ldc are the row strides of the stored matrices (A is m x k, or k x m when
 *  transposed). beta = 0 ignores what C held, NaN included; m, n or k = 0 is a valid no-op
 *  (k = 0 scales C by beta). */
HPC_API hpc_status hpc_sgemm(hpc_ctx* ctx, hpc_transpose trans_a, hpc_transpose trans_b,
                             int64_t m, int64_t n, int64_t k, float alpha,
                             const float* a, int64_t lda, const float* b, int64_t ldb,
                             float beta, float* c, int64_t ldc);

/* ======================================================================================== */
/* eltwise: activations, bias, reductions                                                    */
/* ======================================================================================== */

/** Element-wise activation functions. param is used by those that take one (noted). */
typedef enum hpc_activation {
    HPC_ACT_IDENTITY = 0,
    HPC_ACT_RELU = 1,
    /** Logistic 1 / (1 + e^-z). */
    HPC_ACT_SIGMOID = 2,
    HPC_ACT_TANH = 3
} hpc_activation;

/** y[i, j] = act(x[i, j] + bias[j]) for a rows x cols matrix (contiguous rows); bias may be null.
 *  x and y may be the same buffer. */
HPC_API hpc_status hpc_bias_act_forward(hpc_ctx* ctx, hpc_activation act, float param,
                                        int64_t rows, int64_t cols, const float* x,
                                        const float* bias, float* y);

/** dx = dy * act'(x) for n elements, where x is the activation's input and y = act(x) its output
 *  (kernels use whichever is cheaper). dx may alias dy. */
HPC_API hpc_status hpc_act_backward(hpc_ctx* ctx, hpc_activation act, float param, int64_t n,
                                    const float* x, const float* y, const float* dy, float* dx);

/** out[j] = beta * out[j] + sum_i x[i * ldx + j] over a rows x cols matrix: the bias gradient.
 *  beta = 0 ignores what out held. */
HPC_API hpc_status hpc_sum_rows(hpc_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                                int64_t ldx, float beta, float* out);

/* ======================================================================================== */
/* loss                                                                                      */
/* ======================================================================================== */

/** Fused softmax + cross-entropy over a batch x classes matrix of logits (row stride ld) with
 *  integer labels in [0, classes): *loss = mean over the batch of -log softmax(logits)[label],
 *  computed with a stable log-sum-exp; dlogits (row stride classes, may be null) =
 *  (softmax - onehot(label)) / batch. A label out of range is INVALID_ARGUMENT. */
HPC_API hpc_status hpc_softmax_cross_entropy(hpc_ctx* ctx, int64_t batch, int64_t classes,
                                             const float* logits, int64_t ld,
                                             const int32_t* labels, float* loss, float* dlogits);

/** Row-wise softmax of a rows x cols matrix (contiguous rows); y may alias x. */
HPC_API hpc_status hpc_softmax_forward(hpc_ctx* ctx, int64_t rows, int64_t cols,
                                       const float* x, float* y);

/** Mean squared error over n elements: *loss = sum (pred - target)^2 / n;
 *  grad (may be null) = 2 (pred - target) / n. */
HPC_API hpc_status hpc_mse_loss(hpc_ctx* ctx, int64_t n, const float* pred, const float* target,
                                float* loss, float* grad);

/* ======================================================================================== */
/* optim                                                                                     */
/* ======================================================================================== */

/** One fused SGD step with classic momentum and L2 weight decay over n parameters:
 *  g' = grad + weight_decay * w;  v = momentum * v + g';  w -= lr * v.
 *  With momentum = 0, velocity may be null and w -= lr * g'. */
HPC_API hpc_status hpc_sgd_momentum_update(hpc_ctx* ctx, int64_t n, float lr, float momentum,
                                           float weight_decay, float* w, const float* grad,
                                           float* velocity);

/* ======================================================================================== */
/* random: seeded generators, dropout masks                                                  */
/* ======================================================================================== */

/* (section owned by the eltwise/loss work) */

/* ======================================================================================== */
/* conv                                                                                      */
/* ======================================================================================== */

/* (section owned by the convolution work) */

/* ======================================================================================== */
/* pool                                                                                      */
/* ======================================================================================== */

/* (section owned by the convolution work) */

#ifdef __cplusplus
}
#endif

#endif /* HPCNN_H */
