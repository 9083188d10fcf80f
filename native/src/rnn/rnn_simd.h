/* The rnn family's fused cell passes written once in the width-generic vocabulary of
 * simd/simd_avx2.h / simd_avx512.h and vmath_simd.h (include those first): the same
 * equations as rnn_scalar.c, one vector of hidden units at a time, partial vectors masked. */
#include "rnn/rnn_internal.h"

static inline vf HPC_SFX(ld)(const float* p, int64_t w) { return w == HPC_W ? vload(p) : vloadn(p, w); }
static inline void HPC_SFX(st)(float* p, vf v, int64_t w) {
    if (w == HPC_W) vstore(p, v);
    else vstoren(p, v, w);
}
#define LD HPC_SFX(ld)
#define ST HPC_SFX(st)

static void HPC_SFX(lstm_forward)(int64_t rows, int64_t hidden, float* gates, const float* c_prev, float* c,
                                  float* h) {
    for (int64_t r = 0; r < rows; r++) {
        float* z = gates + r * 4 * hidden;
        for (int64_t j = 0; j < hidden; j += HPC_W) {
            int64_t w = hidden - j < HPC_W ? hidden - j : HPC_W;
            int64_t s = r * hidden + j;
            vf i = vsigmoid(LD(z + j, w));
            vf f = vsigmoid(LD(z + hidden + j, w));
            vf g = vtanh(LD(z + 2 * hidden + j, w));
            vf o = vsigmoid(LD(z + 3 * hidden + j, w));
            vf cc = c_prev ? vfma(f, LD(c_prev + s, w), vmul(i, g)) : vmul(i, g);
            ST(z + j, i, w);
            ST(z + hidden + j, f, w);
            ST(z + 2 * hidden + j, g, w);
            ST(z + 3 * hidden + j, o, w);
            ST(c + s, cc, w);
            ST(h + s, vmul(o, vtanh(cc)), w);
        }
    }
}

static void HPC_SFX(lstm_backward)(int64_t rows, int64_t hidden, float* gates, const float* c_prev, const float* c,
                                   const float* dy, const float* dh_next, float* dc) {
    const vf one = vset1(1.0f);
    for (int64_t r = 0; r < rows; r++) {
        float* a = gates + r * 4 * hidden;
        for (int64_t j = 0; j < hidden; j += HPC_W) {
            int64_t w = hidden - j < HPC_W ? hidden - j : HPC_W;
            int64_t s = r * hidden + j;
            vf i = LD(a + j, w), f = LD(a + hidden + j, w), g = LD(a + 2 * hidden + j, w);
            vf o = LD(a + 3 * hidden + j, w);
            vf tc = vtanh(LD(c + s, w));
            vf dh = LD(dh_next + s, w);
            if (dy) dh = vadd(LD(dy + s, w), dh);
            vf dcv = vfma(vmul(dh, o), vfnma(tc, tc, one), LD(dc + s, w));
            vf cp = c_prev ? LD(c_prev + s, w) : vzero();
            ST(a + j, vmul(vmul(dcv, g), vmul(i, vsub(one, i))), w);
            ST(a + hidden + j, vmul(vmul(dcv, cp), vmul(f, vsub(one, f))), w);
            ST(a + 2 * hidden + j, vmul(vmul(dcv, i), vfnma(g, g, one)), w);
            ST(a + 3 * hidden + j, vmul(vmul(dh, tc), vmul(o, vsub(one, o))), w);
            ST(dc + s, vmul(dcv, f), w);
        }
    }
}

static void HPC_SFX(tanh_forward)(int64_t n, float* h) {
    for (int64_t k = 0; k < n; k += HPC_W) {
        int64_t w = n - k < HPC_W ? n - k : HPC_W;
        ST(h + k, vtanh(LD(h + k, w)), w);
    }
}

static void HPC_SFX(tanh_backward)(int64_t n, const float* h, const float* dy, const float* dh_next, float* dz) {
    for (int64_t k = 0; k < n; k += HPC_W) {
        int64_t w = n - k < HPC_W ? n - k : HPC_W;
        vf y = LD(h + k, w);
        vf d = LD(dh_next + k, w);
        if (dy) d = vadd(LD(dy + k, w), d);
        ST(dz + k, vmul(d, vfnma(y, y, vset1(1.0f))), w);
    }
}

#undef LD
#undef ST

const hpc_rnn_kernels HPC_SFX(hpc_rnn_kernels) = {HPC_SFX(lstm_forward), HPC_SFX(lstm_backward),
                                                  HPC_SFX(tanh_forward), HPC_SFX(tanh_backward)};
