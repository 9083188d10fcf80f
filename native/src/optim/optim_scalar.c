/* The reference optimizer kernels: one readable loop per rule, in float, in the order of the
 * equations documented in hpcnn.h. Every SIMD path is tested against these. */
#include "optim/optim_internal.h"
#include <math.h>

/* The regularised gradient g' = g + weight_decay * w + l1 * sign(w), with sign(0) = 0. */
static inline float reg_grad(const hpc_optim_args* a, float g, float w) {
    float sign = (float)((w > 0.0f) - (w < 0.0f));
    return g + a->weight_decay * w + a->l1 * sign;
}

static void sgd(int64_t n, const hpc_optim_args* a, float* w, const float* g, float* s1, float* s2) {
    for (int64_t i = 0; i < n; i++) w[i] -= a->lr * reg_grad(a, g[i], w[i]);
}

static void sgd_momentum(int64_t n, const hpc_optim_args* a, float* w, const float* g, float* v, float* s2) {
    for (int64_t i = 0; i < n; i++) {
        float gi = reg_grad(a, g[i], w[i]);
        v[i] = a->momentum * v[i] + gi;
        w[i] -= a->lr * v[i];
    }
}

static void sgd_convex(int64_t n, const hpc_optim_args* a, float* w, const float* g, float* v, float* s2) {
    for (int64_t i = 0; i < n; i++) {
        float gi = reg_grad(a, g[i], w[i]);
        v[i] = a->momentum * v[i] - a->one_minus_momentum * gi;
        w[i] += a->lr * v[i];
    }
}

static void nesterov(int64_t n, const hpc_optim_args* a, float* w, const float* g, float* v, float* s2) {
    for (int64_t i = 0; i < n; i++) {
        float gi = reg_grad(a, g[i], w[i]);
        v[i] = a->momentum * v[i] + gi;
        w[i] -= a->lr * (gi + a->momentum * v[i]);
    }
}

static void rmsprop(int64_t n, const hpc_optim_args* a, float* w, const float* g, float* sq, float* s2) {
    for (int64_t i = 0; i < n; i++) {
        float gi = reg_grad(a, g[i], w[i]);
        sq[i] = a->alpha * sq[i] + a->one_minus_alpha * (gi * gi);
        w[i] -= a->lr * (gi / (sqrtf(sq[i]) + a->eps));
    }
}

static void rmsprop_momentum(int64_t n, const hpc_optim_args* a, float* w, const float* g, float* sq, float* buf) {
    for (int64_t i = 0; i < n; i++) {
        float gi = reg_grad(a, g[i], w[i]);
        sq[i] = a->alpha * sq[i] + a->one_minus_alpha * (gi * gi);
        buf[i] = a->momentum * buf[i] + gi / (sqrtf(sq[i]) + a->eps);
        w[i] -= a->lr * buf[i];
    }
}

static void adam(int64_t n, const hpc_optim_args* a, float* w, const float* g, float* m, float* v) {
    for (int64_t i = 0; i < n; i++) {
        float gi = reg_grad(a, g[i], w[i]);
        m[i] = a->alpha * m[i] + a->one_minus_alpha * gi;
        v[i] = a->beta2 * v[i] + a->one_minus_beta2 * (gi * gi);
        float denom = sqrtf(v[i]) / a->sqrt_bc2 + a->eps;
        w[i] = a->decay * w[i] - a->step_size * (m[i] / denom);
    }
}

static double sum_squares(int64_t n, const float* x) {
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s += (double)x[i] * (double)x[i];
    return s;
}

static void scale(int64_t n, float alpha, float* x) {
    for (int64_t i = 0; i < n; i++) x[i] *= alpha;
}

static void clip(int64_t n, float lo, float hi, float* x) {
    for (int64_t i = 0; i < n; i++) {
        if (x[i] < lo) x[i] = lo;
        else if (x[i] > hi) x[i] = hi;
    }
}

const hpc_optim_kernels hpc_optim_kernels_scalar = {
    .sgd = sgd,
    .sgd_momentum = sgd_momentum,
    .sgd_convex = sgd_convex,
    .nesterov = nesterov,
    .rmsprop = rmsprop,
    .rmsprop_momentum = rmsprop_momentum,
    .adam = adam,
    .sum_squares = sum_squares,
    .scale = scale,
    .clip = clip,
};
