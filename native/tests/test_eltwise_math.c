/* Accuracy of the vectorised transcendental activations (sigmoid, tanh, and the exp inside
 * them) on every path against double precision: within 2e-7 relative, results below the
 * smallest normal float allowed to flush to 0, clean saturation for huge and infinite inputs,
 * NaN propagated. Sweeps a fixed stride of all float bit patterns plus the branch edges. */
#include "testutil.h"
#include <float.h>

static float from_bits(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }

static double ref(hpc_activation act, double x) {
    switch (act) {
    case HPC_ACT_SIGMOID: return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x));
    case HPC_ACT_TANH: return tanh(x);
    case HPC_ACT_ARCTAN: return atan(x);
    case HPC_ACT_SOFTPLUS: return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
    default: return x;
    }
}

/* Relative bound per activation: 2e-7 is the contract for sigmoid and tanh; arctan and
 * softplus (Cephes-based) are held to 3e-7. */
static double bound(hpc_activation act) {
    return act == HPC_ACT_SIGMOID || act == HPC_ACT_TANH ? 2e-7 : 3e-7;
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    /* Inputs: every 509th bit pattern of the finite floats (both signs), plus edges. */
    int64_t cap = 2 * (0x7f800000u / 509) + 64, n = 0;
    float* x = tu_alloc(cap);
    float* y = tu_alloc(cap);
    for (uint32_t b = 0; b < 0x7f800000u; b += 509) {
        x[n++] = from_bits(b);
        x[n++] = -from_bits(b);
    }
    const float edges[] = {0.0f, -0.0f, 0.9f, -0.9f, 0.89999998f, 0.90000004f, 1e-30f, -1e-30f, 1e30f, -1e30f,
                           FLT_MAX, -FLT_MAX, 87.33654f, -87.33654f, 88.0f, -88.0f, 44.0f, -44.0f, 0.625f, 1e-7f,
                           FLT_MIN, -FLT_MIN, 2.414213562f, 0.41421356f};
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) x[n++] = edges[i];

    const hpc_activation acts[] = {HPC_ACT_SIGMOID, HPC_ACT_TANH, HPC_ACT_ARCTAN, HPC_ACT_SOFTPLUS};
    for (int k = 0; k < nisa; k++) {
        hpc_ctx* ctx = tu_ctx(isas[k], 1);
        for (size_t a = 0; a < sizeof acts / sizeof *acts; a++) {
            hpc_activation act = acts[a];
            TU_OK(hpc_bias_act_forward(ctx, act, 0.0f, 1, n, x, NULL, y));
            double worst = 0;
            float worst_x = 0;
            for (int64_t i = 0; i < n; i++) {
                double d = ref(act, x[i]);
                double err = fabs((double)y[i] - d);
                int ok = isfinite(y[i]) && (err <= bound(act) * fabs(d) || (fabs(d) < FLT_MIN && err <= FLT_MIN));
                TU_CHECK(ok, "%s %s(%.9g) = %.9g, double %.17g", hpc_isa_name(isas[k]),
                         act == HPC_ACT_SIGMOID ? "sigmoid" : act == HPC_ACT_TANH ? "tanh" : "other", (double)x[i],
                         (double)y[i], d);
                if (fabs(d) >= FLT_MIN && err / fabs(d) > worst) {
                    worst = err / fabs(d);
                    worst_x = x[i];
                }
            }
            printf("%-7s act %d: max relative error %.3g (at x = %.9g) over %lld inputs\n", hpc_isa_name(isas[k]),
                   (int)act, worst, (double)worst_x, (long long)n);

            /* Saturation and special values. */
            float s[] = {INFINITY, -INFINITY, 1e30f, -1e30f, NAN};
            float o[5];
            TU_OK(hpc_bias_act_forward(ctx, act, 0.0f, 1, 5, s, NULL, o));
            if (act == HPC_ACT_SIGMOID) {
                TU_CHECK(o[0] == 1.0f && o[1] == 0.0f && o[2] == 1.0f && o[3] == 0.0f, "%s sigmoid saturates: %g %g %g %g",
                         hpc_isa_name(isas[k]), o[0], o[1], o[2], o[3]);
            } else if (act == HPC_ACT_TANH) {
                TU_CHECK(o[0] == 1.0f && o[1] == -1.0f && o[2] == 1.0f && o[3] == -1.0f, "%s tanh saturates: %g %g %g %g",
                         hpc_isa_name(isas[k]), o[0], o[1], o[2], o[3]);
            } else if (act == HPC_ACT_ARCTAN) {
                TU_CHECK(tu_close(o[0], M_PI / 2, 0, 1e-7) && tu_close(o[1], -M_PI / 2, 0, 1e-7), "%s atan(+-inf)",
                         hpc_isa_name(isas[k]));
            } else {
                TU_CHECK(isinf(o[0]) && o[1] == 0.0f && o[2] == 1e30f && o[3] == 0.0f, "%s softplus ends",
                         hpc_isa_name(isas[k]));
            }
            TU_CHECK(isnan(o[4]), "%s act %d: NaN in gives NaN out (%g)", hpc_isa_name(isas[k]), (int)act, o[4]);
        }
        hpc_ctx_destroy(ctx);
    }
    free(x);
    free(y);
    return tu_finish("test_eltwise_math");
}
