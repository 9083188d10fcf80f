/* The recurrent random LIF network of `hpc neuro simulate` in plain C over the public kernels,
 * with the time of each kernel (thread CPU time, which waits for a shared core do not inflate):
 * the native floor under the C# Network loop, and where a step's time goes.
 *
 * Build: gcc -O2 -Inative/include bench/native/neuro_bench.c -Lbuild/native/native -lhpcnn -lm -o build/neuro_bench
 * Run:   LD_LIBRARY_PATH=build/native/native build/neuro_bench NEURONS P SECONDS THREADS */
#define _GNU_SOURCE
#include "hpcnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}
static double wall_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

#define OK(call)                                                                                   \
    do {                                                                                           \
        if ((call) != HPC_STATUS_OK) {                                                             \
            fprintf(stderr, "%s: %s\n", #call, hpc_ctx_last_error(ctx));                           \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

int main(int argc, char** argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: neuro_bench NEURONS P SECONDS THREADS\n");
        return 2;
    }
    int64_t n = atoll(argv[1]);
    float p = (float)atof(argv[2]), dt = 1e-4f;
    int64_t steps = (int64_t)(atof(argv[3]) / dt + 0.5);
    hpc_ctx* ctx = NULL;
    if (hpc_ctx_create(&ctx) || hpc_ctx_set_threads(ctx, atoi(argv[4]))) return 1;
    float *v_in = malloc(n * 4), *v = malloc(n * 4), *s = calloc(n, 4);
    int32_t *refr = calloc(n, 4), *spikes = malloc(n * 4);
    int64_t* row_ptr = malloc((n + 1) * 8);
    int64_t nnz, count;
    OK(hpc_rng_uniform(ctx, 1, 0, n, 0.9f, 1.5f, v_in));
    OK(hpc_rng_uniform(ctx, 1, (uint64_t)n, n, 0.0f, 1.0f, v));
    OK(hpc_random_csr_rows(ctx, 2, n, n, p, row_ptr, &nnz));
    hpc_synapse* syn = malloc(nnz * sizeof(hpc_synapse));
    OK(hpc_random_csr_fill(ctx, 2, n, n, p, -0.05f, 0.05f, row_ptr, syn));
    const float s_decay = 0.98019867f; /* e^(-dt / tau_s), tau_s = 5 ms */
    double t_lif = 0, t_psc = 0, t_prop = 0, total_spikes = 0, events = 0;
    double w0 = wall_now(), c0 = cpu_now();
    for (int64_t k = 0; k < steps; k++) {
        double a = cpu_now();
        /* The synaptic decay fused into the LIF pass, as the C# Network does. */
        OK(hpc_lif_step(ctx, HPC_INTEGRATE_EXACT, n, dt, 0.02f, 20, v_in, s, s_decay, v, refr, spikes, &count, NULL));
        double b = cpu_now(), c = b;
        OK(hpc_spikes_propagate_csr(ctx, n, n, nnz, row_ptr, syn, spikes, count, s));
        double d = cpu_now();
        t_lif += b - a, t_psc += c - b, t_prop += d - c;
        total_spikes += count;
        for (int64_t q = 0; q < count; q++) events += (double)(row_ptr[spikes[q] + 1] - row_ptr[spikes[q]]);
    }
    double wall = wall_now() - w0, cpu = cpu_now() - c0;
    printf("neurons %lld p %g synapses %lld steps %lld threads %s: rate %.2f Hz\n", (long long)n, (double)p,
           (long long)nnz, (long long)steps, argv[4], total_spikes / (n * steps * (double)dt));
    printf("wall %.4f s, cpu %.4f s (timer calls included); cpu: lif with decay %.4f s, psc %.4f s, propagate %.4f s\n", wall,
           cpu, t_lif, t_psc, t_prop);
    printf("per neuron-update %.3f ns (lif), per synaptic event %.3f ns (propagate)\n", t_lif / (double)(n * steps) * 1e9,
           t_prop / events * 1e9);
    hpc_ctx_destroy(ctx);
    return 0;
}
