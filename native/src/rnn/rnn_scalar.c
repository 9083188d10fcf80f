/* The scalar reference of the rnn family's fused cell passes: one value at a time, in the
 * order the equations of hpcnn.h read. */
#include "rnn/rnn_internal.h"
#include "eltwise/eltwise_internal.h"
#include <math.h>

static void lstm_forward(int64_t rows, int64_t hidden, float* gates, const float* c_prev, float* c, float* h) {
    for (int64_t r = 0; r < rows; r++) {
        float* z = gates + r * 4 * hidden;
        for (int64_t j = 0; j < hidden; j++) {
            float i = hpc_sigmoid_ref(z[j]);
            float f = hpc_sigmoid_ref(z[hidden + j]);
            float g = tanhf(z[2 * hidden + j]);
            float o = hpc_sigmoid_ref(z[3 * hidden + j]);
            float cp = c_prev ? c_prev[r * hidden + j] : 0.0f;
            float cc = f * cp + i * g;
            z[j] = i;
            z[hidden + j] = f;
            z[2 * hidden + j] = g;
            z[3 * hidden + j] = o;
            c[r * hidden + j] = cc;
            h[r * hidden + j] = o * tanhf(cc);
        }
    }
}

static void lstm_backward(int64_t rows, int64_t hidden, float* gates, const float* c_prev, const float* c,
                          const float* dy, const float* dh_next, float* dc) {
    for (int64_t r = 0; r < rows; r++) {
        float* a = gates + r * 4 * hidden;
        for (int64_t j = 0; j < hidden; j++) {
            int64_t s = r * hidden + j;
            float i = a[j], f = a[hidden + j], g = a[2 * hidden + j], o = a[3 * hidden + j];
            float tc = tanhf(c[s]);
            float dh = (dy ? dy[s] : 0.0f) + dh_next[s];
            float dcv = dc[s] + dh * o * (1.0f - tc * tc);
            float cp = c_prev ? c_prev[s] : 0.0f;
            a[j] = dcv * g * i * (1.0f - i);
            a[hidden + j] = dcv * cp * f * (1.0f - f);
            a[2 * hidden + j] = dcv * i * (1.0f - g * g);
            a[3 * hidden + j] = dh * tc * o * (1.0f - o);
            dc[s] = dcv * f;
        }
    }
}

static void tanh_forward(int64_t n, float* h) {
    for (int64_t k = 0; k < n; k++) h[k] = tanhf(h[k]);
}

static void tanh_backward(int64_t n, const float* h, const float* dy, const float* dh_next, float* dz) {
    for (int64_t k = 0; k < n; k++) dz[k] = ((dy ? dy[k] : 0.0f) + dh_next[k]) * (1.0f - h[k] * h[k]);
}

const hpc_rnn_kernels hpc_rnn_kernels_scalar = {lstm_forward, lstm_backward, tanh_forward, tanh_backward};
