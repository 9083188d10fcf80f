/* The scalar reference of the eltwise family: plain loops over the textbook definitions. */
#include "eltwise/eltwise_internal.h"
#include <math.h>

float hpc_sigmoid_ref(float z) {
    /* Through e = e^-|z| so nothing overflows for any z. */
    float e = expf(-fabsf(z));
    return z < 0.0f ? e / (1.0f + e) : 1.0f / (1.0f + e);
}

static float softplus_ref(float z) {
    /* log(1 + e^z) = max(z, 0) + log1p(e^-|z|): no overflow, no cancellation. */
    return fmaxf(z, 0.0f) + log1pf(expf(-fabsf(z)));
}

float hpc_act_ref(hpc_activation act, float param, float z) {
    switch (act) {
    case HPC_ACT_IDENTITY: return z;
    case HPC_ACT_RELU: return (z > 0.0f || z != z) ? z : 0.0f;
    case HPC_ACT_SIGMOID: return hpc_sigmoid_ref(z);
    case HPC_ACT_TANH: return tanhf(z);
    case HPC_ACT_STEP: return z >= 0.0f ? 1.0f : (z < 0.0f ? 0.0f : z);
    case HPC_ACT_ARCTAN: return atanf(z);
    case HPC_ACT_LEAKY_RELU: return z > 0.0f ? z : param * z;
    case HPC_ACT_SOFTPLUS: return z != z ? z : softplus_ref(z);
    }
    return z;
}

float hpc_act_grad_ref(hpc_activation act, float param, float x, float y) {
    switch (act) {
    case HPC_ACT_IDENTITY: return 1.0f;
    case HPC_ACT_RELU: return x > 0.0f ? 1.0f : 0.0f;
    case HPC_ACT_SIGMOID: return y * (1.0f - y);
    case HPC_ACT_TANH: return 1.0f - y * y;
    case HPC_ACT_STEP: return 0.0f;
    case HPC_ACT_ARCTAN: return 1.0f / (1.0f + x * x);
    case HPC_ACT_LEAKY_RELU: return x > 0.0f ? 1.0f : param;
    case HPC_ACT_SOFTPLUS: return hpc_sigmoid_ref(x);
    }
    return 1.0f;
}

static void bias_act(hpc_activation act, float param, int64_t rows, int64_t cols, const float* x,
                     const float* bias, float* y) {
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) {
            float z = x[i * cols + j] + (bias ? bias[j] : 0.0f);
            y[i * cols + j] = hpc_act_ref(act, param, z);
        }
}

static void act_backward(hpc_activation act, float param, int64_t n, const float* x, const float* y,
                         const float* dy, float* dx) {
    for (int64_t i = 0; i < n; i++) {
        /* Step passes no gradient at all (0, not 0 * dy, which would turn an inf dy into NaN). */
        dx[i] = act == HPC_ACT_STEP ? 0.0f : dy[i] * hpc_act_grad_ref(act, param, x[i], y[i]);
    }
}

static void sum_rows(int64_t rows, int64_t cols, const float* x, int64_t ldx, float beta, float* out) {
    for (int64_t j = 0; j < cols; j++) {
        float s = 0.0f;
        for (int64_t i = 0; i < rows; i++) s += x[i * ldx + j];
        out[j] = beta == 0.0f ? s : beta * out[j] + s;
    }
}

static void prelu_forward(int64_t rows, int64_t cols, const float* x, const float* slope, float* y) {
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) {
            float z = x[i * cols + j];
            y[i * cols + j] = z > 0.0f ? z : slope[j] * z;
        }
}

static void prelu_backward(int64_t rows, int64_t cols, const float* x, const float* slope,
                           const float* dy, float* dx, float* dslope) {
    for (int64_t j = 0; j < cols; j++) {
        float g = 0.0f;
        for (int64_t i = 0; i < rows; i++) {
            float z = x[i * cols + j];
            if (!(z > 0.0f)) g += dy[i * cols + j] * z;
        }
        dslope[j] = g;
    }
    if (dx)
        for (int64_t i = 0; i < rows; i++)
            for (int64_t j = 0; j < cols; j++) {
                float z = x[i * cols + j];
                dx[i * cols + j] = z > 0.0f ? dy[i * cols + j] : slope[j] * dy[i * cols + j];
            }
}

const hpc_eltwise_kernels hpc_eltwise_kernels_scalar = {bias_act, act_backward, sum_rows, prelu_forward,
                                                        prelu_backward};
