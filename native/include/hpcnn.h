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
    /** OpenBLAS for GEMM (when built with it); other kernels use the best SIMD path. Its GEMMs
     *  are not bit-identical across thread counts (OpenBLAS partitions and edge kernels differ). */
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

/** Creates a context on the given ISA path (AUTO = the best this CPU supports), ignoring HPC_ISA,
 *  with one thread: what a program with its own ISA option calls. Fails with UNSUPPORTED when the
 *  CPU or build lacks the path and INVALID_ARGUMENT when isa is not an hpc_isa; the message is then
 *  in hpc_last_error(). */
HPC_API hpc_status hpc_ctx_create_with_isa(hpc_isa isa, hpc_ctx** out);

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

/** Slots of the kernel table (one per kernel family) that hpc_kernel_table_entry enumerates. */
HPC_API int32_t hpc_kernel_table_size(void);

/** Entry index (0 <= index < hpc_kernel_table_size()) of the kernel table ctx's path selected: the
 *  slot's short name and a label of what it computes, the path whose implementation runs there
 *  ("scalar", "avx2", "avx512", "openblas", or "none" when the path has none and the family falls
 *  back to its general code), and stand_in, null unless that implementation was written for
 *  another path, then the reason it stands in. All strings are static. */
HPC_API hpc_status hpc_kernel_table_entry(const hpc_ctx* ctx, int32_t index, const char** slot, const char** label,
                                          const char** impl, const char** stand_in);

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
 *  (k = 0 scales C by beta). Bit-identical for any thread count on the scalar and SIMD paths;
 *  the OPENBLAS path returns what OpenBLAS computes, which may differ in the last bits between
 *  thread counts. */
HPC_API hpc_status hpc_sgemm(hpc_ctx* ctx, hpc_transpose trans_a, hpc_transpose trans_b,
                             int64_t m, int64_t n, int64_t k, float alpha,
                             const float* a, int64_t lda, const float* b, int64_t ldb,
                             float beta, float* c, int64_t ldc);

/* ======================================================================================== */
/* eltwise: activations, bias, reductions                                                    */
/* ======================================================================================== */

/* Kernels of this section and of the loss and random sections split large inputs into chunks of
 * fixed size run on the context's threads; results are bit-identical for any thread count. */

/** Element-wise activation functions. param is used by those that take one (noted); the
 *  others ignore it. New values are appended, never renumbered. NaN inputs give NaN outputs. */
typedef enum hpc_activation {
    HPC_ACT_IDENTITY = 0,
    /** max(z, 0). */
    HPC_ACT_RELU = 1,
    /** Logistic 1 / (1 + e^-z), within 2e-7 relative of exact on every path; saturates to
     *  exactly 0 / 1 for large |z| and +-inf (subnormal results flush to 0). */
    HPC_ACT_SIGMOID = 2,
    /** tanh z, within 2e-7 relative of exact on every path; exactly +-1 for large |z| and +-inf. */
    HPC_ACT_TANH = 3,
    /** Heaviside / binary threshold unit: 1 if z >= 0, else 0. Its derivative is 0 everywhere
     *  (hpc_act_backward writes dx = 0): perceptrons train with their own rule, not backprop. */
    HPC_ACT_STEP = 4,
    /** atan z, in (-pi/2, pi/2). */
    HPC_ACT_ARCTAN = 5,
    /** z if z > 0, else param * z (param = slope, finite; 0.01 is the usual default). */
    HPC_ACT_LEAKY_RELU = 6,
    /** log(1 + e^z), computed as max(z, 0) + log1p(e^-|z|); its derivative is the logistic. */
    HPC_ACT_SOFTPLUS = 7
} hpc_activation;

/** y[i, j] = act(x[i, j] + bias[j]) for a rows x cols matrix (contiguous rows); bias may be null.
 *  x and y may be the same buffer. Pointers may be null only when rows * cols = 0. Unknown act,
 *  or a non-finite param for LEAKY_RELU, is INVALID_ARGUMENT. */
HPC_API hpc_status hpc_bias_act_forward(hpc_ctx* ctx, hpc_activation act, float param,
                                        int64_t rows, int64_t cols, const float* x,
                                        const float* bias, float* y);

/** dx = dy * act'(x) for n elements, where x is the activation's input and y = act(x) its output
 *  (both must be given; kernels use whichever is cheaper: y for sigmoid/tanh, x otherwise).
 *  dx may alias dy, x or y. For STEP dx = 0. */
HPC_API hpc_status hpc_act_backward(hpc_ctx* ctx, hpc_activation act, float param, int64_t n,
                                    const float* x, const float* y, const float* dy, float* dx);

/** out[j] = beta * out[j] + sum_i x[i * ldx + j] over a rows x cols matrix: the bias gradient.
 *  beta = 0 ignores what out held (NaN included); ldx >= cols. */
HPC_API hpc_status hpc_sum_rows(hpc_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                                int64_t ldx, float beta, float* out);

/** Parametric ReLU with a learnable slope per column (unit): y[i, j] = x[i, j] if x[i, j] > 0,
 *  else slope[j] * x[i, j], over a rows x cols matrix (contiguous rows). y may alias x. */
HPC_API hpc_status hpc_prelu_forward(hpc_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                                     const float* slope, float* y);

/** Parametric ReLU backward: dx[i, j] = dy[i, j] if x[i, j] > 0, else slope[j] * dy[i, j]
 *  (dx may be null when only the slope gradient is wanted; it may alias dy), and
 *  dslope[j] = sum_i dy[i, j] * x[i, j] over the rows where x[i, j] <= 0: dslope is
 *  overwritten (beta = 0), not accumulated. */
HPC_API hpc_status hpc_prelu_backward(hpc_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                                      const float* slope, const float* dy, float* dx,
                                      float* dslope);

/* ======================================================================================== */
/* gemm epilogue (owned by the gemm work; placed here because it uses hpc_activation)        */
/* ======================================================================================== */

/** Where the bias of a fused GEMM goes. */
typedef enum hpc_bias_mode {
    /** No bias (bias may be null). */
    HPC_BIAS_NONE = 0,
    /** One value per row of C (m values): the layout of a conv output channel. */
    HPC_BIAS_ROW = 1,
    /** One value per column of C (n values): the layout of a Linear layer's outputs. */
    HPC_BIAS_COL = 2
} hpc_bias_mode;

/** C = act(alpha * op(A) * op(B) + beta * C + bias), with hpc_sgemm's conventions, the bias and
 *  activation applied while each tile of C is still in registers. Fused activations: IDENTITY,
 *  RELU, SIGMOID, TANH, STEP, ARCTAN, SOFTPLUS (the same vector math as hpc_bias_act_forward);
 *  LEAKY_RELU (it takes a slope) is UNSUPPORTED: use hpc_sgemm then hpc_bias_act_forward. bias is null for HPC_BIAS_NONE. */
HPC_API hpc_status hpc_sgemm_bias_act(hpc_ctx* ctx, hpc_transpose trans_a, hpc_transpose trans_b,
                                      int64_t m, int64_t n, int64_t k, float alpha,
                                      const float* a, int64_t lda, const float* b, int64_t ldb,
                                      float beta, float* c, int64_t ldc,
                                      const float* bias, hpc_bias_mode bias_mode,
                                      hpc_activation act);

/* ======================================================================================== */
/* loss                                                                                      */
/* ======================================================================================== */

/** Fused softmax + cross-entropy over a batch x classes matrix of logits (row stride ld) with
 *  integer labels in [0, classes): *loss = mean over the batch of -log softmax(logits)[label],
 *  computed with a stable log-sum-exp (one pass per row, sums in double); dlogits (row stride
 *  classes, may be null; may alias logits when ld == classes) = (softmax - onehot(label)) / batch.
 *  A label out of range is INVALID_ARGUMENT naming the row and value (checked before anything
 *  is written). batch = 0 gives *loss = 0. Non-finite logits give a NaN loss. */
HPC_API hpc_status hpc_softmax_cross_entropy(hpc_ctx* ctx, int64_t batch, int64_t classes,
                                             const float* logits, int64_t ld,
                                             const int32_t* labels, float* loss, float* dlogits);

/** Row-wise softmax of a rows x cols matrix (contiguous rows), stable (max subtracted); y may
 *  alias x. */
HPC_API hpc_status hpc_softmax_forward(hpc_ctx* ctx, int64_t rows, int64_t cols,
                                       const float* x, float* y);

/** Backward of a softmax layer, row-wise over a rows x cols matrix (contiguous rows): given its
 *  output y and the upstream gradient dy, dx = y * (dy - sum_j dy[j] y[j]). dx may alias dy. */
HPC_API hpc_status hpc_softmax_backward(hpc_ctx* ctx, int64_t rows, int64_t cols,
                                        const float* y, const float* dy, float* dx);

/** Mean squared error over n elements: *loss = sum (pred - target)^2 / n;
 *  grad (may be null; may alias pred or target) = 2 (pred - target) / n. n = 0 gives 0. */
HPC_API hpc_status hpc_mse_loss(hpc_ctx* ctx, int64_t n, const float* pred, const float* target,
                                float* loss, float* grad);

/** Squared error (the seeds' E = 1/2 sum): *loss = sum (pred - target)^2 / 2;
 *  grad (may be null; may alias pred or target) = pred - target. */
HPC_API hpc_status hpc_sse_loss(hpc_ctx* ctx, int64_t n, const float* pred, const float* target,
                                float* loss, float* grad);

/** Mean absolute (L1) error: *loss = sum |pred - target| / n; grad (may be null; may alias pred
 *  or target) = sign(pred - target) / n with sign(0) = 0. n = 0 gives 0. */
HPC_API hpc_status hpc_l1_loss(hpc_ctx* ctx, int64_t n, const float* pred, const float* target,
                               float* loss, float* grad);

/** Binary cross-entropy on logits z with targets t in [0, 1], stable for any z:
 *  *loss = mean of max(z, 0) - z t + log1p(e^-|z|); grad (may be null; may alias z or target)
 *  = (sigmoid(z) - t) / n. n = 0 gives 0. */
HPC_API hpc_status hpc_bce_logits_loss(hpc_ctx* ctx, int64_t n, const float* logits,
                                       const float* target, float* loss, float* grad);

/* ======================================================================================== */
/* optim                                                                                     */
/* ======================================================================================== */

/* Every update below is one fused pass over n parameters (w, grad and the state arrays hold n
 * floats each, must not overlap, and may be null only when n = 0). State arrays start at zero.
 * Hyper-parameters are checked: learning rates and decay coefficients finite and >= 0, momentum
 * and moving-average coefficients in [0, 1), eps finite and > 0; a bad one is INVALID_ARGUMENT
 * naming it. The penalties are folded into the gradient as
 *     g' = grad + weight_decay * w + l1 * sign(w)      (sign(0) = 0)
 * which is the gradient of E + (weight_decay / 2) ||w||^2 + l1 ||w||_1: the seeds' L2 penalty
 * lambda ||w||^2 (seed 001 section 11.2, seed 003) is weight_decay = 2 lambda. Biases are
 * conventionally not penalised: pass weight_decay = l1 = 0 for them. */

/** SGD with classic momentum (PyTorch's form) and both penalties:
 *  g' = grad + weight_decay * w + l1 * sign(w);  v = momentum * v + g';  w -= lr * v.
 *  momentum is in [0, 1); with momentum = 0, velocity may be null and w -= lr * g'.
 *  Online, mini-batch and full-batch SGD differ only in the batch the gradient was averaged over. */
HPC_API hpc_status hpc_sgd_update(hpc_ctx* ctx, int64_t n, float lr, float momentum,
                                  float weight_decay, float l1, float* w, const float* grad,
                                  float* velocity);

/** Momentum whose velocity is an exponential moving average of the gradients (a convex
 *  combination of the old velocity and the new gradient), stored pointing downhill:
 *  g' = grad + weight_decay * w + l1 * sign(w);  V = beta * V - (1 - beta) * g';  W += kappa * V.
 *  The first step from V = 0 is W -= kappa (1 - beta) g'. beta is in [0, 1); with beta = 0,
 *  velocity may be null. */
HPC_API hpc_status hpc_sgd_convex_momentum_update(hpc_ctx* ctx, int64_t n, float kappa, float beta,
                                                  float weight_decay, float l1, float* w,
                                                  const float* grad, float* velocity);

/** Nesterov momentum (PyTorch's formulation):
 *  g' = grad + weight_decay * w + l1 * sign(w);  v = momentum * v + g';  w -= lr * (g' + momentum * v).
 *  momentum is in [0, 1); with momentum = 0, velocity may be null. */
HPC_API hpc_status hpc_nesterov_update(hpc_ctx* ctx, int64_t n, float lr, float momentum,
                                       float weight_decay, float l1, float* w, const float* grad,
                                       float* velocity);

/** RMSProp (PyTorch's uncentred formulation):
 *  g' = grad + weight_decay * w + l1 * sign(w);  s = alpha * s + (1 - alpha) * g'^2;
 *  d = g' / (sqrt(s) + eps);  with momentum: b = momentum * b + d, w -= lr * b;  else w -= lr * d.
 *  s is square_avg, b is momentum_buf (may be null when momentum = 0). alpha and momentum are in
 *  [0, 1), eps > 0. */
HPC_API hpc_status hpc_rmsprop_update(hpc_ctx* ctx, int64_t n, float lr, float alpha, float eps,
                                      float momentum, float weight_decay, float l1, float* w,
                                      const float* grad, float* square_avg, float* momentum_buf);

/** Adam (Kingma and Ba 2014, PyTorch's formulation; L2 coupled into the gradient), step t >= 1
 *  counting this call (the first update is t = 1):
 *  g' = grad + weight_decay * w + l1 * sign(w);  m = beta1 * m + (1 - beta1) * g';
 *  v = beta2 * v + (1 - beta2) * g'^2;
 *  w -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
 *  The first step moves each weight by about lr * sign(g'). beta1, beta2 in [0, 1), eps > 0. */
HPC_API hpc_status hpc_adam_update(hpc_ctx* ctx, int64_t n, float lr, float beta1, float beta2,
                                   float eps, float weight_decay, float l1, int64_t step, float* w,
                                   const float* grad, float* m, float* v);

/** AdamW (Loshchilov and Hutter, PyTorch's formulation): weight decay decoupled from the
 *  gradient, w *= 1 - lr * weight_decay, then the Adam step of hpc_adam_update with
 *  g' = grad + l1 * sign(w) (sign of w before the decay). Same arguments as hpc_adam_update. */
HPC_API hpc_status hpc_adamw_update(hpc_ctx* ctx, int64_t n, float lr, float beta1, float beta2,
                                    float eps, float weight_decay, float l1, int64_t step, float* w,
                                    const float* grad, float* m, float* v);

/** Stores in *out the sum of x[i]^2 over n floats, accumulated in double (0 when n = 0). For
 *  clipping by global norm: sum this over every gradient tensor, take the square root, then
 *  hpc_scale each tensor by max_norm / (norm + 1e-6) when norm > max_norm. */
HPC_API hpc_status hpc_sum_squares(hpc_ctx* ctx, int64_t n, const float* x, double* out);

/** x *= alpha over n floats; alpha must be finite. NaN in x stays NaN. */
HPC_API hpc_status hpc_scale(hpc_ctx* ctx, int64_t n, float alpha, float* x);

/** Clipping by value: x = min(max(x, lo), hi) over n floats; lo <= hi, neither NaN (infinities
 *  allowed). NaN in x stays NaN, so a diverged gradient is not hidden. */
HPC_API hpc_status hpc_clip_by_value(hpc_ctx* ctx, int64_t n, float lo, float hi, float* x);

/* ======================================================================================== */
/* random: seeded generators, dropout masks                                                  */
/* ======================================================================================== */

/* Every generator is counter-based (Philox4x32-10 keyed by seed): element i of a call is a pure
 * function of (seed, offset + i), so results are identical on every ISA path and thread count,
 * and filling [0, n) at once equals filling [0, k) then [k, n) with offset advanced by k. */

/** out[i] = lo + (hi - lo) * u_i with u_i uniform on the 2^24 values of [0, 1), for stream
 *  elements offset .. offset + n - 1 of seed (up to float rounding, so hi itself can occur when
 *  lo + (hi - lo) * u rounds up). lo <= hi, both finite with a finite difference. */
HPC_API hpc_status hpc_rng_uniform(hpc_ctx* ctx, uint64_t seed, uint64_t offset, int64_t n,
                                   float lo, float hi, float* out);

/** out[i] = mean + std * z_i with z_i standard normal (Box-Muller in double precision over two
 *  24-bit uniforms, so |z| <= 5.77), for stream elements offset .. offset + n - 1 of seed.
 *  mean finite, std finite and >= 0. */
HPC_API hpc_status hpc_rng_normal(hpc_ctx* ctx, uint64_t seed, uint64_t offset, int64_t n,
                                  float mean, float std, float* out);

/** Inverted dropout at training time over n elements: each element is kept with probability
 *  keep_prob (rho, in (0, 1]) from stream element offset + i of seed: mask[i] = 1 / keep_prob
 *  when kept, else 0, and y = x * mask (so inference needs no scaling: it skips dropout).
 *  mask may be null when no backward pass follows; y may alias x. keep_prob outside (0, 1], or
 *  NaN, is INVALID_ARGUMENT. keep_prob = 1 keeps everything (mask = 1). */
HPC_API hpc_status hpc_dropout_forward(hpc_ctx* ctx, uint64_t seed, uint64_t offset, int64_t n,
                                       float keep_prob, const float* x, float* mask, float* y);

/** Inverted dropout backward: dx = dy * mask (the mask written by hpc_dropout_forward).
 *  dx may alias dy. */
HPC_API hpc_status hpc_dropout_backward(hpc_ctx* ctx, int64_t n, const float* mask,
                                        const float* dy, float* dx);

/* ======================================================================================== */
/* conv                                                                                      */
/* ======================================================================================== */

/** Shape of a 2-D convolution over float32 NCHW tensors (cross-correlation, as in the notes):
 *  input x is n x c x h x w, weights are k x c x r x s (k filters of c x r x s), bias has k
 *  values, output y is n x k x out_h x out_w with
 *  out_h = (h + 2 pad_h - dilation_h (r - 1) - 1) / stride_h + 1 (integer division; same for w).
 *  n >= 0; c, h, w, k, r, s, strides and dilations >= 1; pads >= 0; every field <= 2^31 - 1. */
typedef struct hpc_conv2d_desc {
    int64_t n;
    int64_t c;
    int64_t h;
    int64_t w;
    int64_t k;
    int64_t r;
    int64_t s;
    int64_t stride_h;
    int64_t stride_w;
    int64_t pad_h;
    int64_t pad_w;
    int64_t dilation_h;
    int64_t dilation_w;
} hpc_conv2d_desc;

/** Validates desc and writes the output height and width. INVALID_ARGUMENT (naming the shapes)
 *  when the dilated kernel is larger than the padded input, a stride or dilation is < 1, or
 *  a size is out of range. */
HPC_API hpc_status hpc_conv2d_output_size(hpc_ctx* ctx, const hpc_conv2d_desc* desc, int64_t* out_h,
                                          int64_t* out_w);

/** Which computation of a convolution layer a query is about. */
typedef enum hpc_conv_direction {
    HPC_CONV_FORWARD = 0,
    HPC_CONV_BACKWARD_DATA = 1,
    HPC_CONV_BACKWARD_WEIGHTS = 2,
} hpc_conv_direction;

/** Workspace, in bytes, the convolution calls on ctx's path use at full speed for this shape: the
 *  most any of the algorithms the three directions choose needs (0 when none needs any: they
 *  stage in the context's own reusable memory). A call that needs workspace accepts less, down to
 *  c * r * s * 4 bytes (it then works in more, smaller pieces: slower, results unchanged); more
 *  workspace never changes results. The workspace holds no state between calls. Depends on the
 *  path: query it on the context that will run the calls. */
HPC_API hpc_status hpc_conv2d_workspace_size(hpc_ctx* ctx, const hpc_conv2d_desc* desc, int64_t* bytes);

/** The name of the algorithm ctx's path runs for this shape and direction (act: the forward's
 *  activation, ignored otherwise; workspace_bytes: what the call would be given), e.g.
 *  "im2col + GEMM". The string is static. INVALID_ARGUMENT for a bad desc, direction, act or a
 *  negative workspace_bytes; UNSUPPORTED for a forward activation hpc_conv2d_forward rejects. */
HPC_API hpc_status hpc_conv2d_algorithm(hpc_ctx* ctx, const hpc_conv2d_desc* desc, hpc_conv_direction direction,
                                        hpc_activation act, int64_t workspace_bytes, const char** name);

/** y = act(conv(x, w) + bias) on ctx's ISA path and threads. x is n x c x h x w, w is
 *  k x c x r x s, bias (k values) may be null, y is n x k x out_h x out_w. act is any
 *  hpc_activation but LEAKY_RELU, which needs a slope (UNSUPPORTED: convolve with IDENTITY, then
 *  hpc_bias_act_forward). workspace (workspace_bytes bytes) may be null only when the chosen
 *  algorithm needs none (see hpc_conv2d_workspace_size); too small a workspace for it is
 *  INVALID_ARGUMENT. Bit-identical for any thread count on a native path. y must not overlap x. */
HPC_API hpc_status hpc_conv2d_forward(hpc_ctx* ctx, const hpc_conv2d_desc* desc, const float* x,
                                      const float* w, const float* bias, hpc_activation act, float* y,
                                      void* workspace, int64_t workspace_bytes);

/** dx = d(loss)/dx from dy = d(loss)/d(conv output), pre-activation (eq. 36 of the notes). dy is
 *  n x k x out_h x out_w, dx is n x c x h x w (overwritten). Workspace as for hpc_conv2d_forward.
 *  Deterministic for any thread count (except where the OPENBLAS path's GEMM runs, see hpc_sgemm). */
HPC_API hpc_status hpc_conv2d_backward_data(hpc_ctx* ctx, const hpc_conv2d_desc* desc, const float* dy,
                                            const float* w, float* dx, void* workspace,
                                            int64_t workspace_bytes);

/** dw = sum over the batch of dy im2col(x)^T (eq. 34), k x c x r x s, overwritten; db (k values,
 *  may be null) = sum of dy over batch and pixels. The batch is reduced in a fixed order, so the
 *  results are bit-identical for any thread count (given hpc_sgemm's own determinism). Workspace
 *  as for hpc_conv2d_forward; where the chosen algorithm can use more (see hpc_conv2d_algorithm:
 *  "filter chunks in parallel"), each further multiple of hpc_conv2d_workspace_size lets one more
 *  chunk run at once (pass threads x that size for full speed; the results do not change). */
HPC_API hpc_status hpc_conv2d_backward_weights(hpc_ctx* ctx, const hpc_conv2d_desc* desc, const float* x,
                                               const float* dy, float* dw, float* db, void* workspace,
                                               int64_t workspace_bytes);

/* ======================================================================================== */
/* pool                                                                                      */
/* ======================================================================================== */

/** Shape of a 2-D pooling over float32 NCHW: x is n x c x h x w, y is n x c x out_h x out_w with
 *  out_h = (h + 2 pad_h - window_h) / stride_h + 1 (same for w). n, c >= 0; h, w, windows and
 *  strides >= 1; 0 <= pad < window (so every window holds at least one input pixel); h * w <= 2^31 - 1. */
typedef struct hpc_pool2d_desc {
    int64_t n;
    int64_t c;
    int64_t h;
    int64_t w;
    int64_t window_h;
    int64_t window_w;
    int64_t stride_h;
    int64_t stride_w;
    int64_t pad_h;
    int64_t pad_w;
} hpc_pool2d_desc;

/** Validates desc and writes the output height and width (INVALID_ARGUMENT naming the shapes when
 *  the window is larger than the padded input or a field is out of range). */
HPC_API hpc_status hpc_pool2d_output_size(hpc_ctx* ctx, const hpc_pool2d_desc* desc, int64_t* out_h,
                                          int64_t* out_w);

/** y = max over each window (padding never wins). argmax (may be null; same shape as y) receives
 *  the index ih * w + iw of the maximum within its input plane: the first in row-major window
 *  order on ties, the first NaN when the window holds one (NaN propagates). */
HPC_API hpc_status hpc_maxpool2d_forward(hpc_ctx* ctx, const hpc_pool2d_desc* desc, const float* x,
                                         float* y, int32_t* argmax);

/** dx = gradient routed to the argmax of each window: dx is zeroed, then dx[plane][argmax] += dy.
 *  An argmax outside its plane is INVALID_ARGUMENT. */
HPC_API hpc_status hpc_maxpool2d_backward(hpc_ctx* ctx, const hpc_pool2d_desc* desc, const float* dy,
                                          const int32_t* argmax, float* dx);

/** y = mean over each window. count_include_pad = 1 divides by window_h * window_w (padding counts
 *  as zeros), 0 by the number of input pixels the window covers. */
HPC_API hpc_status hpc_avgpool2d_forward(hpc_ctx* ctx, const hpc_pool2d_desc* desc, int32_t count_include_pad,
                                         const float* x, float* y);

/** dx = each dy spread evenly over its window (divided as in the forward); dx is overwritten. */
HPC_API hpc_status hpc_avgpool2d_backward(hpc_ctx* ctx, const hpc_pool2d_desc* desc, int32_t count_include_pad,
                                          const float* dy, float* dx);

/* ======================================================================================== */
/* embed                                                                                     */
/* ======================================================================================== */

/** Embedding lookup: out row i (dim floats) = table row indices[i], for i in [0, n). table is
 *  num_embeddings x dim, row-major; out is n x dim (an example with p positions takes p consecutive
 *  rows, so a batch of b examples is out[b][p * dim]). Every index must lie in [0, num_embeddings):
 *  otherwise INVALID_ARGUMENT naming the first bad position and value, with out untouched.
 *  num_embeddings <= 2^31 - 1. */
HPC_API hpc_status hpc_embedding_forward(hpc_ctx* ctx, int64_t num_embeddings, int64_t dim, const float* table,
                                         int64_t n, const int32_t* indices, float* out);

/** Embedding gradient: dtable row indices[i] += dout row i for every i in [0, n); with beta = 0
 *  dtable (num_embeddings x dim) is zeroed first, with beta = 1 the gradients are added to it
 *  (other betas are INVALID_ARGUMENT). A row named several times sums its gradients in the order
 *  of i, the same float sum for every thread count and SIMD path (no atomics). Indices are
 *  checked as in hpc_embedding_forward before dtable is touched. */
HPC_API hpc_status hpc_embedding_backward(hpc_ctx* ctx, int64_t num_embeddings, int64_t dim, int64_t n,
                                          const int32_t* indices, const float* dout, float beta, float* dtable);

/* ======================================================================================== */
/* sparse                                                                                    */
/* ======================================================================================== */

/* A CSR matrix A of m rows and k columns: row i holds the entries p in [offsets[i], offsets[i+1])
 * with column cols[p] and value values[p] (values null: every stored value is 1, as for binary
 * bag-of-features inputs). offsets has m + 1 int64 entries: offsets[0] = 0, non-decreasing,
 * offsets[m] <= nnz (the length of cols and values); every column in [0, k), k <= 2^31 - 1.
 * A structure breaking one of these is INVALID_ARGUMENT naming the offset or entry. A column may
 * repeat within a row (its terms add). */

/** y (m x n) = A (m x k, CSR) * w (k x n, row-major) + bias (n floats, broadcast; may be null).
 *  Each y row sums its entries in CSR order (fused multiply-add): the same bits for every thread
 *  count and SIMD path. */
HPC_API hpc_status hpc_csr_matmul(hpc_ctx* ctx, int64_t m, int64_t k, int64_t n, int64_t nnz, const int64_t* offsets,
                                  const int32_t* cols, const float* values, const float* w, const float* bias,
                                  float* y);

/** The distinct columns A uses, increasing, into rows (capacity offsets[m] is always enough);
 *  their number into *count. These are the rows of w that A^T dy touches. */
HPC_API hpc_status hpc_csr_touched_rows(hpc_ctx* ctx, int64_t m, int64_t k, int64_t nnz, const int64_t* offsets,
                                        const int32_t* cols, int32_t* rows, int64_t* count);

/** The weight gradient A^T dy (k x n) on the touched rows only: grad_rows (count x n) row t =
 *  sum over the entries p with cols[p] = rows[t], in CSR order, of values[p] * dy row i. rows must
 *  be strictly increasing and include every column A uses (hpc_csr_touched_rows); grad_rows is
 *  overwritten. Deterministic for any thread count. */
HPC_API hpc_status hpc_csr_weight_grad(hpc_ctx* ctx, int64_t m, int64_t k, int64_t n, int64_t nnz,
                                       const int64_t* offsets, const int32_t* cols, const float* values,
                                       const float* dy, int64_t count, const int32_t* rows, float* grad_rows);

/** Lazy SGD on the touched rows of w (k x n): for each t, row r = rows[t] is updated exactly as
 *  hpc_sgd_update updates n floats with grad row t, its velocity row r and weight_decay (L2 on
 *  that row only). Rows not listed are untouched: their velocity does not decay and no weight
 *  decay applies to them that step (PyTorch's sparse-gradient semantics). rows: strictly
 *  increasing in [0, k); velocity may be null only when momentum = 0. */
HPC_API hpc_status hpc_sgd_rows_update(hpc_ctx* ctx, int64_t k, int64_t n, int64_t count, const int32_t* rows,
                                       float lr, float momentum, float weight_decay, float* w, const float* grad_rows,
                                       float* velocity);

/** Lazy Adam (PyTorch's SparseAdam): only the listed rows' moments m, v (k x n each) and weights
 *  change, each as hpc_adam_update would with grad row t; the bias corrections use the global
 *  step (1-based), not a per-row count. */
HPC_API hpc_status hpc_adam_rows_update(hpc_ctx* ctx, int64_t k, int64_t n, int64_t count, const int32_t* rows,
                                        float lr, float beta1, float beta2, float eps, float weight_decay,
                                        int64_t step, float* w, const float* grad_rows, float* m, float* v);

/* ======================================================================================== */
/* rnn: recurrent layers (Elman tanh RNN, LSTM) over whole sequences                        */
/* ======================================================================================== */

/* Layout and gate order are PyTorch's nn.RNN / nn.LSTM, so weights move between the two unchanged:
 * sequences are time-major, x [seq_len, batch, input_size] and y [seq_len, batch, hidden]
 * (contiguous); W_ih is [G*hidden, input_size], W_hh [G*hidden, hidden], b_ih and b_hh [G*hidden],
 * with G = 1 for HPC_RNN_TANH and G = 4 for HPC_RNN_LSTM, whose rows are the gates in the order
 * i (input), f (forget), g (cell candidate), o (output):
 *   z = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh,  i = sigmoid(z_i), f = sigmoid(z_f),
 *   g = tanh(z_g), o = sigmoid(z_o),  c_t = f * c_{t-1} + i * g,  h_t = o * tanh(c_t);
 * the tanh RNN is h_t = tanh(z). Results are bit-identical for any thread count (not on OPENBLAS). */

/** Recurrent cell kinds. New values are appended, never renumbered. */
typedef enum hpc_rnn_cell {
    /** Elman network: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh). */
    HPC_RNN_TANH = 0,
    /** Long short-term memory, gates i, f, g, o. */
    HPC_RNN_LSTM = 1
} hpc_rnn_cell;

/** *floats = the workspace (in floats) hpc_rnn_forward and hpc_rnn_backward need for these
 *  sizes: the stored activations of the whole sequence (for the LSTM, seq_len x batch x 4 hidden
 *  gates plus seq_len x batch x hidden cells) and a few per-step rows. */
HPC_API hpc_status hpc_rnn_workspace_size(hpc_ctx* ctx, hpc_rnn_cell cell, int64_t seq_len, int64_t batch,
                                          int64_t hidden, int64_t* floats);

/** One layer, one direction, over a whole sequence: y [seq_len, batch, hidden] = the hidden state
 *  of every step. h0 / c0 [batch, hidden] are the initial states (null = zeros; c0 is ignored for
 *  the tanh cell); h_n / c_n, when not null, receive the final states (they may alias h0 / c0).
 *  b_ih and b_hh may each be null (no bias). workspace holds workspace_floats >= the size from
 *  hpc_rnn_workspace_size; on return it holds what hpc_rnn_backward needs (keep it unchanged
 *  in between). Allocates nothing. seq_len or batch = 0 is a no-op (h_n / c_n copy h0 / c0). */
HPC_API hpc_status hpc_rnn_forward(hpc_ctx* ctx, hpc_rnn_cell cell, int64_t seq_len, int64_t batch,
                                   int64_t input_size, int64_t hidden, const float* x,
                                   const float* w_ih, const float* w_hh, const float* b_ih,
                                   const float* b_hh, const float* h0, const float* c0, float* y,
                                   float* h_n, float* c_n, float* workspace, int64_t workspace_floats);

/** Backpropagation through time of the last hpc_rnn_forward with the same arguments (x, weights,
 *  h0, c0, its y and workspace). dy [seq_len, batch, hidden] is dLoss/dy (null = zeros), dh_n /
 *  dc_n [batch, hidden] the gradients arriving at the final states (null = zeros). Writes (does
 *  not accumulate) dw_ih, dw_hh and db [G*hidden] (the gradient of b_ih, equal to that of b_hh;
 *  may be null), and when not null dx [seq_len, batch, input_size] (for a layer below) and dh0 /
 *  dc0 (for a state carried in from an earlier chunk). The workspace's stored activations are
 *  overwritten by the gate gradients: call it once per forward. Allocates nothing. */
HPC_API hpc_status hpc_rnn_backward(hpc_ctx* ctx, hpc_rnn_cell cell, int64_t seq_len, int64_t batch,
                                    int64_t input_size, int64_t hidden, const float* x,
                                    const float* w_ih, const float* w_hh, const float* h0,
                                    const float* c0, const float* y, const float* dy,
                                    const float* dh_n, const float* dc_n, float* dx, float* dw_ih,
                                    float* dw_hh, float* db, float* dh0, float* dc0,
                                    float* workspace, int64_t workspace_floats);

/* ======================================================================================== */
/* neuro: spiking neuron populations, post-synaptic current filters, spike propagation       */
/* ======================================================================================== */

/* One call advances a whole population by one time step dt. Spikes come back as a compact list
 * of neuron indices in ascending order (capacity: the population size) with its length, so the
 * cost of propagating them is proportional to the number of spikes. Results are identical for
 * any thread count; the LIF, filter and propagation kernels are also bit-identical across ISA
 * paths, HH agrees across paths to the rounding of its exponentials (a few ulps). */

/** How a linear state equation tau dx/dt = target - x is advanced over a step: Euler's method
 *  (x += dt / tau (target - x)), or exactly (x = target + (x - target) e^(-dt / tau)). */
typedef enum hpc_integrator {
    HPC_INTEGRATE_EULER = 0,
    HPC_INTEGRATE_EXACT = 1
} hpc_integrator;

/** Leaky integrate-and-fire step for n neurons (dimensionless: threshold 1, reset 0):
 *  tau_m dv/dt = v_in + s - v, where v_in (required) is the input and s (may be null) an added
 *  synaptic current, multiplied by s_decay after it is read (every neuron, refractory or not:
 *  an order-0 filter's step of hpc_psc_step fused into this pass; 1 leaves s as it is). A neuron
 *  with refractory[i] > 0 holds v = 0 and counts refractory[i] down by
 *  one instead of integrating (so a spike at step k is followed by refractory_steps held steps). A neuron whose v reaches 1 after the step is reset to 0, gets
 *  refractory[i] = refractory_steps, is appended to spikes (capacity n) and counted in counts[i]
 *  (counts may be null). dt > 0, tau_m > 0 (Euler also needs dt < tau_m), s_decay in [0, 1],
 *  refractory_steps >= 0
 *  (the refractory period in steps, e.g. round(tau_ref / dt)); refractory[i] <= 0 means the
 *  neuron integrates. *spike_count receives the number of spikes. */
HPC_API hpc_status hpc_lif_step(hpc_ctx* ctx, hpc_integrator method, int64_t n, float dt, float tau_m,
                                int32_t refractory_steps, const float* v_in, float* s, float s_decay, float* v,
                                int32_t* refractory, int32_t* spikes, int64_t* spike_count, int32_t* counts);

/** Hodgkin-Huxley step for n squid-axon neurons (Hodgkin and Huxley 1952 in the modern
 *  convention: C = 1 uF/cm^2, g_Na = 120, g_K = 36, g_L = 0.3 mS/cm^2, E_Na = 50, E_K = -77,
 *  E_L = -54.387 mV, rest near -65 mV; time in ms, v in mV, current in uA/cm^2). Every state
 *  variable is advanced by exponential Euler from the state at the start of the step (each
 *  equation is linear in its own variable when the others are held): the gates m, h, n_gate (the
 *  potassium gate n) relax towards their equilibrium with their voltage-dependent time
 *  constants, v towards the reversal potential weighted by the open conductances. i_in (may be
 *  null: no input) is the injected current per neuron. An upward crossing of 0 mV (v < 0 before,
 *  v >= 0 after) is a spike: appended to spikes (capacity n), counted in counts (may be null).
 *  dt in (0, 1] ms. */
HPC_API hpc_status hpc_hh_step(hpc_ctx* ctx, int64_t n, float dt, const float* i_in, float* v, float* m,
                               float* h, float* n_gate, int32_t* spikes, int64_t* spike_count, int32_t* counts);

/** Writes the Hodgkin-Huxley resting state (v = -65 mV, every gate at its equilibrium there)
 *  into the n entries of v, m, h and k. */
HPC_API hpc_status hpc_hh_rest(hpc_ctx* ctx, int64_t n, float* v, float* m, float* h, float* n_gate);

/** Post-synaptic current filter step for n post-synaptic neurons, the impulse response
 *  h(t) = t^order e^(-t / tau_s) / (order! tau_s^(order + 1)) realised as order + 1 first-order
 *  stages tau_s dx/dt = -x (the input stage) and tau_s ds/dt = x - s. Order 0: only s, decayed
 *  by (1 - dt / tau_s) under Euler (the seed's Algorithm 1) or e^(-dt / tau_s) exactly; spikes are
 *  added to s. Order 1: x (required) receives the spikes and feeds s; exact integration is
 *  x <- x e, s <- (s + x dt / tau_s) e with e = e^(-dt / tau_s), Euler uses the old x and s.
 *  An impulse of weight 1 / tau_s into the input stage gives h(t) at the sample times. order in
 *  {0, 1}; dt > 0, tau_s > 0 (Euler also needs dt < tau_s). x is ignored (may be null) for
 *  order 0. */
HPC_API hpc_status hpc_psc_step(hpc_ctx* ctx, hpc_integrator method, int32_t order, int64_t n, float dt,
                                float tau_s, float* x, float* s);

/** target[i] += w[j * n_post + i] for every spiking pre-synaptic neuron j in spikes (in list
 *  order, so the sums are the same for any thread count): a dense n_post x n_pre weight matrix
 *  stored column by column (pre-major), whose columns of the spiking neurons are added. Every
 *  index in spikes must lie in [0, n_pre). */
HPC_API hpc_status hpc_spikes_propagate_dense(hpc_ctx* ctx, int64_t n_pre, int64_t n_post, const float* w,
                                              const int32_t* spikes, int64_t spike_count, float* target);

/** One stored synapse of a CSR row: the post-synaptic neuron and the weight, side by side so a
 *  spike's row is one contiguous stretch of memory. */
typedef struct hpc_synapse {
    int32_t target;
    float weight;
} hpc_synapse;

/** target[s.target] += s.weight for the synapses s = synapses[e], e in [row_ptr[j], row_ptr[j + 1]),
 *  of every spiking pre-synaptic neuron j (in list order): sparse weights in CSR by pre-synaptic
 *  neuron, targets ascending within a row and in [0, n_post), as hpc_csr_check verifies (check a
 *  matrix once when it is built: this call checks the spikes and their rows' extents, and never
 *  writes outside target). */
HPC_API hpc_status hpc_spikes_propagate_csr(hpc_ctx* ctx, int64_t n_pre, int64_t n_post, int64_t nnz,
                                            const int64_t* row_ptr, const hpc_synapse* synapses,
                                            const int32_t* spikes, int64_t spike_count, float* target);

/** Verifies a CSR matrix of n_pre rows over n_post columns: row_ptr[0] = 0, non-decreasing,
 *  row_ptr[n_pre] = nnz, and each row's targets strictly ascending within [0, n_post). */
HPC_API hpc_status hpc_csr_check(hpc_ctx* ctx, int64_t n_pre, int64_t n_post, int64_t nnz, const int64_t* row_ptr,
                                 const hpc_synapse* synapses);

/** Random connectivity, pass 1: every (pre j, post i) pair is connected independently with
 *  probability p in [0, 1], drawn from seed's Philox stream (the gaps between a row's
 *  connections are geometric, so the cost is proportional to the connections). Writes row_ptr
 *  (n_pre + 1 entries) of the CSR matrix; *nnz receives row_ptr[n_pre]. Identical on every
 *  path and thread count. */
HPC_API hpc_status hpc_random_csr_rows(hpc_ctx* ctx, uint64_t seed, int64_t n_pre, int64_t n_post, float p,
                                       int64_t* row_ptr, int64_t* nnz);

/** Random connectivity, pass 2: the synapses of the matrix whose row_ptr hpc_random_csr_rows
 *  wrote for the same seed, n_pre, n_post and p: targets ascending within each row, weights
 *  lo + (hi - lo) u with u uniform on [0, 1) from a second stream of seed. */
HPC_API hpc_status hpc_random_csr_fill(hpc_ctx* ctx, uint64_t seed, int64_t n_pre, int64_t n_post, float p,
                                       float lo, float hi, const int64_t* row_ptr, hpc_synapse* synapses);

#ifdef __cplusplus
}
#endif

#endif /* HPCNN_H */
