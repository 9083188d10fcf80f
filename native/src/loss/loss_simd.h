/* The loss kernels for one SIMD path, written once over simd/simd_<isa>.h and
 * simd/vmath_simd.h, instantiated by loss_avx2.c and loss_avx512.c. Same definitions as
 * loss_scalar.c; float lane sums are folded into a double every block so long inputs do not
 * lose the loss to rounding. */
#include "loss/loss_internal.h"
#include <math.h>

#define HPC_LOSS_BLOCK (32 * HPC_W)

static float HPC_SFX(row_max)(int64_t n, const float* x) {
    vf m = vset1(-__builtin_inff());
    int64_t j = 0;
    for (; j + HPC_W <= n; j += HPC_W) m = vmax(m, vload(x + j));
    if (j < n) m = vmax(m, vloadn_fill(x + j, n - j, -__builtin_inff()));
    return vhmax(m);
}

/* Writes e^(x - m) to e (when non-null) and returns the sum. */
static double HPC_SFX(exp_sum)(int64_t n, const float* x, float m, float* e) {
    const vf vm_ = vset1(m);
    double total = 0.0;
    for (int64_t b = 0; b < n; b += HPC_LOSS_BLOCK) {
        int64_t end = b + HPC_LOSS_BLOCK < n ? b + HPC_LOSS_BLOCK : n;
        vf s = vzero();
        int64_t j = b;
        for (; j + HPC_W <= end; j += HPC_W) {
            vf v = vexp(vsub(vload(x + j), vm_));
            s = vadd(s, v);
            if (e) vstore(e + j, v);
        }
        if (j < end) {
            /* -inf in the unused lanes: e^-inf = 0 adds nothing. */
            vf v = vexp(vsub(vloadn_fill(x + j, end - j, -__builtin_inff()), vm_));
            s = vadd(s, v);
            if (e) vstoren(e + j, v, end - j);
        }
        total += vsum_d(s);
    }
    return total;
}

static void HPC_SFX(scale_row)(int64_t n, float* y, float a) {
    const vf va = vset1(a);
    int64_t j = 0;
    for (; j + HPC_W <= n; j += HPC_W) vstore(y + j, vmul(vload(y + j), va));
    if (j < n) vstoren(y + j, vmul(vloadn(y + j, n - j), va), n - j);
}

static double HPC_SFX(softmax_ce_row)(int64_t classes, const float* x, int32_t label, float scale, float* d) {
    float xl = x[label]; /* read before d (which may alias x) is written */
    float m = HPC_SFX(row_max)(classes, x);
    double s = HPC_SFX(exp_sum)(classes, x, m, d);
    if (d) {
        /* (softmax - onehot) * scale, as the scalar reference: e * (1/s) * scale, label minus scale. */
        const vf inv = vset1((float)(1.0 / s)), vs = vset1(scale);
        int64_t j = 0;
        for (; j + HPC_W <= classes; j += HPC_W) vstore(d + j, vmul(vmul(vload(d + j), inv), vs));
        if (j < classes) vstoren(d + j, vmul(vmul(vloadn(d + j, classes - j), inv), vs), classes - j);
        d[label] -= scale;
    }
    return log(s) - ((double)xl - m);
}

static void HPC_SFX(softmax_row)(int64_t cols, const float* x, float* y) {
    float m = HPC_SFX(row_max)(cols, x);
    double s = HPC_SFX(exp_sum)(cols, x, m, y);
    HPC_SFX(scale_row)(cols, y, (float)(1.0 / s));
}

static void HPC_SFX(softmax_backward_row)(int64_t cols, const float* y, const float* dy, float* dx) {
    double dot = 0.0;
    for (int64_t b = 0; b < cols; b += HPC_LOSS_BLOCK) {
        int64_t end = b + HPC_LOSS_BLOCK < cols ? b + HPC_LOSS_BLOCK : cols;
        vf s = vzero();
        int64_t j = b;
        for (; j + HPC_W <= end; j += HPC_W) s = vfma(vload(dy + j), vload(y + j), s);
        if (j < end) s = vfma(vloadn(dy + j, end - j), vloadn(y + j, end - j), s);
        dot += vsum_d(s);
    }
    const vf fd = vset1((float)dot);
    int64_t j = 0;
    for (; j + HPC_W <= cols; j += HPC_W) vstore(dx + j, vmul(vload(y + j), vsub(vload(dy + j), fd)));
    if (j < cols) vstoren(dx + j, vmul(vloadn(y + j, cols - j), vsub(vloadn(dy + j, cols - j), fd)), cols - j);
}

/* The block loop of squared and absolute: LOSS and GRAD are expressions in the loaded lanes P
 * and T (unused tail lanes load 0 and must give a loss of 0). */
#define HPC_LOSS_LOOP(n, p, t, grad, LOSS, GRAD)                                                   \
    double total = 0.0;                                                                          \
    for (int64_t b = 0; b < (n); b += HPC_LOSS_BLOCK) {                                          \
        int64_t end = b + HPC_LOSS_BLOCK < (n) ? b + HPC_LOSS_BLOCK : (n);                       \
        vf s = vzero();                                                                          \
        for (int64_t i = b; i < end; i += HPC_W) {                                               \
            int64_t w = end - i < HPC_W ? end - i : HPC_W;                                       \
            vf P = w == HPC_W ? vload((p) + i) : vloadn((p) + i, w);                             \
            vf T = w == HPC_W ? vload((t) + i) : vloadn((t) + i, w);                             \
            s = vadd(s, LOSS);                                                                   \
            if (grad) {                                                                          \
                vf G = GRAD;                                                                     \
                if (w == HPC_W) vstore((grad) + i, G);                                           \
                else vstoren((grad) + i, G, w);                                                  \
            }                                                                                    \
        }                                                                                        \
        total += vsum_d(s);                                                                      \
    }                                                                                            \
    return total;

static double HPC_SFX(squared)(int64_t n, const float* p, const float* t, float gscale, float* grad) {
    const vf g = vset1(gscale);
    /* Masked lanes load 0 - 0 = 0 and add nothing. */
    HPC_LOSS_LOOP(n, p, t, grad, vmul(vsub(P, T), vsub(P, T)), vmul(g, vsub(P, T)))
}

static inline vf HPC_SFX(sign_scaled)(vf d, vf g) {
    /* g * sign(d), sign(0) = 0, NaN stays NaN (d * 0). */
    vf r = vblend(vlt(d, vzero()), vmul(d, vzero()), vxor(g, vset1(-0.0f)));
    return vblend(vgt(d, vzero()), r, g);
}

static double HPC_SFX(absolute)(int64_t n, const float* p, const float* t, float gscale, float* grad) {
    const vf g = vset1(gscale);
    HPC_LOSS_LOOP(n, p, t, grad, vabs(vsub(P, T)), HPC_SFX(sign_scaled)(vsub(P, T), g))
}

static inline vf HPC_SFX(bce_term)(vf z, vf t, vf e) {
    /* max(z, 0) - z t + log1p(e^-|z|); unused tail lanes (z = t = 0) give log 2: the caller masks them. */
    return vadd(vfnma(z, t, vmax(z, vzero())), vlog1p01(e));
}

static double HPC_SFX(bce_logits)(int64_t n, const float* z, const float* t, float gscale, float* grad) {
    const vf g = vset1(gscale), one = vset1(1.0f);
    double total = 0.0;
    for (int64_t b = 0; b < n; b += HPC_LOSS_BLOCK) {
        int64_t end = b + HPC_LOSS_BLOCK < n ? b + HPC_LOSS_BLOCK : n;
        vf s = vzero();
        for (int64_t i = b; i < end; i += HPC_W) {
            int64_t w = end - i < HPC_W ? end - i : HPC_W;
            vf Z = w == HPC_W ? vload(z + i) : vloadn(z + i, w);
            vf T = w == HPC_W ? vload(t + i) : vloadn(t + i, w);
            vf e = vexp(vxor(vabs(Z), vset1(-0.0f)));
            vf l = HPC_SFX(bce_term)(Z, T, e);
            if (w < HPC_W) l = vblend(vlanes(w), vzero(), l);
            s = vadd(s, l);
            if (grad) {
                vf sig = vdiv(vblend(vlt(Z, vzero()), one, e), vadd(one, e));
                vf G = vmul(g, vsub(sig, T));
                if (w == HPC_W) vstore(grad + i, G);
                else vstoren(grad + i, G, w);
            }
        }
        total += vsum_d(s);
    }
    return total;
}

const hpc_loss_kernels HPC_SFX(hpc_loss_kernels) = {HPC_SFX(softmax_ce_row), HPC_SFX(softmax_row),
                                                    HPC_SFX(softmax_backward_row), HPC_SFX(squared),
                                                    HPC_SFX(absolute), HPC_SFX(bce_logits)};
