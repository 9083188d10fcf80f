/* Activation functions on one SIMD vector, written once over simd_<isa>.h + vmath_simd.h.
 * Shared by the eltwise kernels and the GEMM epilogue, so a fused Linear+activation and a
 * separate one give the same values (and the same tested 2e-7 accuracy). */
#ifndef HPC_ACT_SIMD_H
#define HPC_ACT_SIMD_H
#include "hpcnn.h"

#define HPC_INLINE static inline __attribute__((always_inline))

/* act is a compile-time constant at every call site below, so the switch folds away. */
HPC_INLINE vf act_v(hpc_activation act, vf param, vf z) {
    switch (act) {
    case HPC_ACT_IDENTITY: return z;
    case HPC_ACT_RELU: return vmax(vzero(), z); /* NaN stays NaN (second operand) */
    case HPC_ACT_SIGMOID: return vsigmoid(z);
    case HPC_ACT_TANH: return vtanh(z);
    case HPC_ACT_STEP: return vblend(vge(z, vzero()), vblend(vlt(z, vzero()), z, vzero()), vset1(1.0f));
    case HPC_ACT_ARCTAN: return vatan(z);
    case HPC_ACT_LEAKY_RELU: return vblend(vgt(z, vzero()), vmul(param, z), z);
    case HPC_ACT_SOFTPLUS: return vsoftplus(z);
    }
    return z;
}

#endif
