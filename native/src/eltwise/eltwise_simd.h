/* The eltwise kernels for one SIMD path, written once over simd_<isa>.h + vmath_simd.h and
 * instantiated by eltwise_avx2.c and eltwise_avx512.c. Same element-wise definitions as
 * eltwise_scalar.c; tails use masked loads/stores, so unaligned and odd sizes need no
 * scalar loop. */
#include "eltwise/eltwise_internal.h"

#include "simd/act_simd.h"

/* dy * act'(x), given input x and output y; the operation order matches hpc_act_grad_ref. */
HPC_INLINE vf act_grad_v(hpc_activation act, vf param, vf x, vf y, vf dy) {
    const vf one = vset1(1.0f);
    switch (act) {
    case HPC_ACT_IDENTITY: return dy;
    case HPC_ACT_RELU: return vand_mask(vgt(x, vzero()), dy);
    case HPC_ACT_SIGMOID: return vmul(dy, vmul(y, vsub(one, y)));
    case HPC_ACT_TANH: return vmul(dy, vsub(one, vmul(y, y)));
    case HPC_ACT_STEP: return vzero();
    case HPC_ACT_ARCTAN: return vmul(dy, vdiv(one, vadd(one, vmul(x, x))));
    case HPC_ACT_LEAKY_RELU: return vmul(dy, vblend(vgt(x, vzero()), param, one));
    case HPC_ACT_SOFTPLUS: return vmul(dy, vsigmoid(x));
    }
    return dy;
}

HPC_INLINE void bias_act_loop(hpc_activation act, float param, int64_t rows, int64_t cols, const float* x,
                              const float* bias, float* y) {
    const vf p = vset1(param);
    for (int64_t i = 0; i < rows; i++) {
        const float* xr = x + i * cols;
        float* yr = y + i * cols;
        int64_t j = 0;
        for (; j + HPC_W <= cols; j += HPC_W) {
            vf z = vload(xr + j);
            if (bias) z = vadd(z, vload(bias + j));
            vstore(yr + j, act_v(act, p, z));
        }
        if (j < cols) {
            vf z = vloadn(xr + j, cols - j);
            if (bias) z = vadd(z, vloadn(bias + j, cols - j));
            vstoren(yr + j, act_v(act, p, z), cols - j);
        }
    }
}

HPC_INLINE void act_backward_loop(hpc_activation act, float param, int64_t n, const float* x, const float* y,
                                  const float* dy, float* dx) {
    const vf p = vset1(param);
    int64_t i = 0;
    for (; i + HPC_W <= n; i += HPC_W)
        vstore(dx + i, act_grad_v(act, p, vload(x + i), vload(y + i), vload(dy + i)));
    if (i < n) {
        int64_t r = n - i;
        vstoren(dx + i, act_grad_v(act, p, vloadn(x + i, r), vloadn(y + i, r), vloadn(dy + i, r)), r);
    }
}

#define HPC_ACT_CASES(M)                                                                          \
    M(HPC_ACT_IDENTITY) M(HPC_ACT_RELU) M(HPC_ACT_SIGMOID) M(HPC_ACT_TANH) M(HPC_ACT_STEP)       \
    M(HPC_ACT_ARCTAN) M(HPC_ACT_LEAKY_RELU) M(HPC_ACT_SOFTPLUS)

static void HPC_SFX(bias_act)(hpc_activation act, float param, int64_t rows, int64_t cols, const float* x,
                              const float* bias, float* y) {
    switch (act) {
#define M(A) case A: bias_act_loop(A, param, rows, cols, x, bias, y); break;
        HPC_ACT_CASES(M)
#undef M
    }
}

static void HPC_SFX(act_backward)(hpc_activation act, float param, int64_t n, const float* x, const float* y,
                                  const float* dy, float* dx) {
    switch (act) {
#define M(A) case A: act_backward_loop(A, param, n, x, y, dy, dx); break;
        HPC_ACT_CASES(M)
#undef M
    }
}

/* Column blocks of 4 vectors, rows summed in order (as the scalar reference does), so each
 * output is the same float sum in the same order. */
static void HPC_SFX(sum_rows)(int64_t rows, int64_t cols, const float* x, int64_t ldx, float beta, float* out) {
    const vf b = vset1(beta);
    int64_t j = 0;
    for (; j + 4 * HPC_W <= cols; j += 4 * HPC_W) {
        vf s0 = vzero(), s1 = vzero(), s2 = vzero(), s3 = vzero();
        for (int64_t i = 0; i < rows; i++) {
            const float* r = x + i * ldx + j;
            s0 = vadd(s0, vload(r));
            s1 = vadd(s1, vload(r + HPC_W));
            s2 = vadd(s2, vload(r + 2 * HPC_W));
            s3 = vadd(s3, vload(r + 3 * HPC_W));
        }
        if (beta != 0.0f) {
            s0 = vadd(vmul(b, vload(out + j)), s0);
            s1 = vadd(vmul(b, vload(out + j + HPC_W)), s1);
            s2 = vadd(vmul(b, vload(out + j + 2 * HPC_W)), s2);
            s3 = vadd(vmul(b, vload(out + j + 3 * HPC_W)), s3);
        }
        vstore(out + j, s0);
        vstore(out + j + HPC_W, s1);
        vstore(out + j + 2 * HPC_W, s2);
        vstore(out + j + 3 * HPC_W, s3);
    }
    for (; j < cols; j += HPC_W) {
        int64_t w = cols - j < HPC_W ? cols - j : HPC_W;
        vf s = vzero();
        if (w == HPC_W) {
            for (int64_t i = 0; i < rows; i++) s = vadd(s, vload(x + i * ldx + j));
            if (beta != 0.0f) s = vadd(vmul(b, vload(out + j)), s);
            vstore(out + j, s);
        } else {
            for (int64_t i = 0; i < rows; i++) s = vadd(s, vloadn(x + i * ldx + j, w));
            if (beta != 0.0f) s = vadd(vmul(b, vloadn(out + j, w)), s);
            vstoren(out + j, s, w);
        }
    }
}

static void HPC_SFX(prelu_forward)(int64_t rows, int64_t cols, const float* x, const float* slope, float* y) {
    for (int64_t i = 0; i < rows; i++) {
        const float* xr = x + i * cols;
        float* yr = y + i * cols;
        int64_t j = 0;
        for (; j + HPC_W <= cols; j += HPC_W) {
            vf z = vload(xr + j);
            vstore(yr + j, vblend(vgt(z, vzero()), vmul(vload(slope + j), z), z));
        }
        if (j < cols) {
            vf z = vloadn(xr + j, cols - j);
            vstoren(yr + j, vblend(vgt(z, vzero()), vmul(vloadn(slope + j, cols - j), z), z), cols - j);
        }
    }
}

static void HPC_SFX(prelu_backward)(int64_t rows, int64_t cols, const float* x, const float* slope,
                                    const float* dy, float* dx, float* dslope) {
    /* dslope first (rows summed in order per column), so dx may then overwrite dy. */
    for (int64_t j = 0; j < cols; j += HPC_W) {
        int64_t w = cols - j < HPC_W ? cols - j : HPC_W;
        vf g = vzero();
        for (int64_t i = 0; i < rows; i++) {
            vf z = w == HPC_W ? vload(x + i * cols + j) : vloadn(x + i * cols + j, w);
            vf d = w == HPC_W ? vload(dy + i * cols + j) : vloadn(dy + i * cols + j, w);
            g = vadd(g, vblend(vgt(z, vzero()), vmul(d, z), vzero()));
        }
        if (w == HPC_W) vstore(dslope + j, g);
        else vstoren(dslope + j, g, w);
    }
    if (!dx) return;
    for (int64_t i = 0; i < rows; i++) {
        for (int64_t j = 0; j < cols; j += HPC_W) {
            int64_t w = cols - j < HPC_W ? cols - j : HPC_W;
            int64_t o = i * cols + j;
            vf z = w == HPC_W ? vload(x + o) : vloadn(x + o, w);
            vf d = w == HPC_W ? vload(dy + o) : vloadn(dy + o, w);
            vf s = w == HPC_W ? vload(slope + j) : vloadn(slope + j, w);
            vf r = vblend(vgt(z, vzero()), vmul(s, d), d);
            if (w == HPC_W) vstore(dx + o, r);
            else vstoren(dx + o, r, w);
        }
    }
}

const hpc_eltwise_kernels HPC_SFX(hpc_eltwise_kernels) = {HPC_SFX(bias_act), HPC_SFX(act_backward),
                                                          HPC_SFX(sum_rows), HPC_SFX(prelu_forward),
                                                          HPC_SFX(prelu_backward)};
