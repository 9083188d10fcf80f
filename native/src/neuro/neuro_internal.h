/* Per-ISA kernel table of the neuro family (spiking populations, PSC filters, spike
 * propagation). The entry points in neuro.c validate, split the population into fixed chunks
 * and call through the table of the context's SIMD path; kernels assume valid arguments.
 * Population kernels write the spikes of their chunk [base, base + n) as ascending indices and
 * return how many they wrote. */
#ifndef HPC_NEURO_INTERNAL_H
#define HPC_NEURO_INTERNAL_H
#include "hpcnn.h"

/* Squid-axon constants (mV, ms, mS/cm^2, uA/cm^2, uF/cm^2 = 1). */
#define HPC_HH_G_NA 120.0f
#define HPC_HH_G_K 36.0f
#define HPC_HH_G_L 0.3f
#define HPC_HH_E_NA 50.0f
#define HPC_HH_E_K (-77.0f)
#define HPC_HH_E_L (-54.387f)
#define HPC_HH_V_REST (-65.0f)

/* Below this |u|, u / (1 - e^-u) is taken from its series (the direct form loses digits to
 * the cancellation in 1 - e^-u). */
#define HPC_HH_SERIES_LIMIT 0.1f

typedef struct hpc_neuro_kernels {
    /* v <- u + (v - u) a with u = v_in + s (s may be null) for neurons out of refractoriness,
     * then s <- s s_decay; threshold 1, reset 0, refractory counters as hpc_lif_step documents. */
    int64_t (*lif)(int64_t base, int64_t n, float a, int32_t refractory_steps, const float* v_in, float* s, float s_decay,
                   float* v, int32_t* refractory, int32_t* spikes, int32_t* counts);
    /* One exponential-Euler Hodgkin-Huxley step (i_in may be null). */
    int64_t (*hh)(int64_t base, int64_t n, float dt, const float* i_in, float* v, float* m, float* h, float* ng,
                  int32_t* spikes, int32_t* counts);
    /* s <- s a. */
    void (*decay)(int64_t n, float a, float* s);
    /* s <- (s c + k x) d, then x <- x a (both from the old x). */
    void (*psc2)(int64_t n, float a, float c, float k, float d, float* x, float* s);
    /* target[i] += w[j * ldw + i] for i in [0, n), for each j in spikes in order. */
    void (*add_columns)(int64_t n, const float* w, int64_t ldw, const int32_t* spikes, int64_t count,
                        float* target);
} hpc_neuro_kernels;

extern const hpc_neuro_kernels hpc_neuro_kernels_scalar;
extern const hpc_neuro_kernels hpc_neuro_kernels_avx2;
extern const hpc_neuro_kernels hpc_neuro_kernels_avx512;

/* The scalar rate functions of the gates (alpha, beta in 1/ms at v in mV), shared by the scalar
 * path and hpc_hh_rest. */
void hpc_hh_rates(float v, float* am, float* bm, float* ah, float* bh, float* an, float* bn);

#endif
