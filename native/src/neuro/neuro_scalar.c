/* The scalar reference of the neuro family: the textbook updates, one neuron at a time. */
#include "neuro/neuro_internal.h"
#include <math.h>

static int64_t lif(int64_t base, int64_t n, float a, int32_t refractory_steps, const float* v_in, float* s,
                   float s_decay, float* v, int32_t* refractory, int32_t* spikes, int32_t* counts) {
    int64_t count = 0;
    for (int64_t i = 0; i < n; i++) {
        float u = v_in[i];
        if (s) {
            u = u + s[i];
            s[i] = s[i] * s_decay;
        }
        if (refractory[i] > 0) {
            refractory[i]--;
            v[i] = 0.0f;
            continue;
        }
        float x = u + (v[i] - u) * a;
        if (x >= 1.0f) {
            x = 0.0f;
            refractory[i] = refractory_steps;
            spikes[count++] = (int32_t)(base + i);
            if (counts) counts[i]++;
        }
        v[i] = x;
    }
    return count;
}

/* u / (1 - e^-u), continuous through u = 0 where it is 1. */
static float exprel_inv(float u) {
    if (fabsf(u) < HPC_HH_SERIES_LIMIT) {
        float u2 = u * u;
        return 1.0f + u * 0.5f + u2 * (1.0f / 12.0f) - u2 * u2 * (1.0f / 720.0f);
    }
    return u / (1.0f - expf(-u));
}

void hpc_hh_rates(float v, float* am, float* bm, float* ah, float* bh, float* an, float* bn) {
    *am = exprel_inv((v + 40.0f) * 0.1f);
    *bm = 4.0f * expf((v + 65.0f) * (-1.0f / 18.0f));
    *ah = 0.07f * expf((v + 65.0f) * (-0.05f));
    *bh = 1.0f / (1.0f + expf((v + 35.0f) * (-0.1f)));
    *an = 0.1f * exprel_inv((v + 55.0f) * 0.1f);
    *bn = 0.125f * expf((v + 65.0f) * (-1.0f / 80.0f));
}

/* x relaxes towards alpha / (alpha + beta) at rate alpha + beta. */
static float gate(float x, float alpha, float beta, float dt) {
    float r = alpha + beta, inf = alpha / r;
    return inf + (x - inf) * expf(-dt * r);
}

static int64_t hh(int64_t base, int64_t n, float dt, const float* i_in, float* v, float* m, float* h, float* ng,
                  int32_t* spikes, int32_t* counts) {
    int64_t count = 0;
    for (int64_t i = 0; i < n; i++) {
        float vo = v[i], am, bm, ah, bh, an, bn;
        hpc_hh_rates(vo, &am, &bm, &ah, &bh, &an, &bn);
        float mi = m[i], hi = h[i], ni = ng[i];
        float gna = HPC_HH_G_NA * (mi * mi * mi * hi), n2 = ni * ni, gk = HPC_HH_G_K * (n2 * n2);
        float g = (gna + gk) + HPC_HH_G_L;
        float drive = (gna * HPC_HH_E_NA + gk * HPC_HH_E_K) + HPC_HH_G_L * HPC_HH_E_L;
        if (i_in) drive = drive + i_in[i];
        float vinf = drive / g;
        float vn = vinf + (vo - vinf) * expf(-dt * g);
        m[i] = gate(mi, am, bm, dt);
        h[i] = gate(hi, ah, bh, dt);
        ng[i] = gate(ni, an, bn, dt);
        v[i] = vn;
        if (vo < 0.0f && vn >= 0.0f) {
            spikes[count++] = (int32_t)(base + i);
            if (counts) counts[i]++;
        }
    }
    return count;
}

static void decay(int64_t n, float a, float* s) {
    for (int64_t i = 0; i < n; i++) s[i] = s[i] * a;
}

static void psc2(int64_t n, float a, float c, float k, float d, float* x, float* s) {
    for (int64_t i = 0; i < n; i++) {
        float xo = x[i];
        s[i] = (s[i] * c + k * xo) * d;
        x[i] = xo * a;
    }
}

static void add_columns(int64_t n, const float* w, int64_t ldw, const int32_t* spikes, int64_t count, float* target) {
    for (int64_t q = 0; q < count; q++) {
        const float* col = w + (int64_t)spikes[q] * ldw;
        for (int64_t i = 0; i < n; i++) target[i] += col[i];
    }
}

const hpc_neuro_kernels hpc_neuro_kernels_scalar = {lif, hh, decay, psc2, add_columns};
