/* The scalar reference of the loss family: textbook formulas, sums in double. */
#include "loss/loss_internal.h"
#include <math.h>

static double softmax_ce_row(int64_t classes, const float* x, int32_t label, float scale, float* d) {
    float xl = x[label]; /* read before d (which may alias x) is written */
    float m = x[0];
    for (int64_t j = 1; j < classes; j++) m = x[j] > m ? x[j] : m;
    double s = 0.0;
    for (int64_t j = 0; j < classes; j++) {
        float e = expf(x[j] - m);
        s += e;
        if (d) d[j] = e;
    }
    if (d) {
        float inv = (float)(1.0 / s);
        for (int64_t j = 0; j < classes; j++) d[j] = d[j] * inv * scale;
        d[label] -= scale;
    }
    return log(s) - ((double)xl - m);
}

static void softmax_row(int64_t cols, const float* x, float* y) {
    float m = x[0];
    for (int64_t j = 1; j < cols; j++) m = x[j] > m ? x[j] : m;
    double s = 0.0;
    for (int64_t j = 0; j < cols; j++) {
        y[j] = expf(x[j] - m);
        s += y[j];
    }
    float inv = (float)(1.0 / s);
    for (int64_t j = 0; j < cols; j++) y[j] *= inv;
}

static void softmax_backward_row(int64_t cols, const float* y, const float* dy, float* dx) {
    double dot = 0.0;
    for (int64_t j = 0; j < cols; j++) dot += (double)dy[j] * y[j];
    float fd = (float)dot;
    for (int64_t j = 0; j < cols; j++) dx[j] = y[j] * (dy[j] - fd);
}

static double squared(int64_t n, const float* p, const float* t, float gscale, float* grad) {
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        float d = p[i] - t[i];
        s += (double)d * d;
        if (grad) grad[i] = gscale * d;
    }
    return s;
}

static double absolute(int64_t n, const float* p, const float* t, float gscale, float* grad) {
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        float d = p[i] - t[i];
        s += fabsf(d);
        /* sign(0) = 0 (a subgradient), and a NaN difference stays NaN. */
        if (grad) grad[i] = d > 0.0f ? gscale : d < 0.0f ? -gscale : d * 0.0f;
    }
    return s;
}

static double bce_logits(int64_t n, const float* z, const float* t, float gscale, float* grad) {
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        float zi = z[i], ti = t[i];
        float e = expf(-fabsf(zi));
        s += (double)fmaxf(zi, 0.0f) - (double)zi * ti + log1pf(e);
        if (grad) {
            float sig = zi < 0.0f ? e / (1.0f + e) : 1.0f / (1.0f + e);
            grad[i] = gscale * (sig - ti);
        }
    }
    return s;
}

const hpc_loss_kernels hpc_loss_kernels_scalar = {softmax_ce_row, softmax_row, softmax_backward_row,
                                                  squared, absolute, bce_logits};
