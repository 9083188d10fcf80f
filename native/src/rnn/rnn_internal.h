/* Per-ISA kernel table of the rnn family: the fused element-wise passes of one time step over a
 * block of batch rows (the GEMMs are the library's own). rnn.c validates and drives; kernels
 * assume valid arguments and never fail. Row-major blocks: gates rows x 4*hidden (i, f, g, o),
 * states rows x hidden. */
#ifndef HPC_RNN_INTERNAL_H
#define HPC_RNN_INTERNAL_H
#include "hpcnn.h"

typedef struct hpc_rnn_kernels {
    /* gates: in the pre-activations z, out the activations i, f, g, o; c = f * c_prev + i * g,
     * h = o * tanh(c). c_prev null reads as zeros. */
    void (*lstm_forward)(int64_t rows, int64_t hidden, float* gates, const float* c_prev, float* c, float* h);
    /* With dh = dy + dh_next (dy may be null): gates in the activations of the forward step, out
     * the gradients of their pre-activations; dc in the gradient arriving at c from the next step,
     * out the gradient at c_prev. c_prev null reads as zeros. */
    void (*lstm_backward)(int64_t rows, int64_t hidden, float* gates, const float* c_prev, const float* c,
                          const float* dy, const float* dh_next, float* dc);
    /* h = tanh(h) in place, n values. */
    void (*tanh_forward)(int64_t n, float* h);
    /* dz = (dy + dh_next) * (1 - h^2), n values; dy may be null. */
    void (*tanh_backward)(int64_t n, const float* h, const float* dy, const float* dh_next, float* dz);
} hpc_rnn_kernels;

extern const hpc_rnn_kernels hpc_rnn_kernels_scalar;
extern const hpc_rnn_kernels hpc_rnn_kernels_avx2;
extern const hpc_rnn_kernels hpc_rnn_kernels_avx512;

#endif
