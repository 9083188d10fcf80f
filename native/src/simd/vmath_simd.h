/* Vectorised exp, sigmoid and tanh, written once in the vocabulary of simd_avx2.h /
 * simd_avx512.h (include one of them first). Accuracy target (tested in test_eltwise_math.c):
 * within 2e-7 relative of the double-precision result over the float range, with results that
 * would be subnormal flushed to 0; NaN in gives NaN out; +-inf and huge |x| saturate. */
#ifndef HPC_VMATH_SIMD_H
#define HPC_VMATH_SIMD_H

/* e^x for x <= 88 (callers pass x <= 0; x > 88 returns +inf). x < -87.336 (a subnormal
 * result) returns 0. Cody-Waite reduction x = n ln2 + r with ln2 split in two constants so
 * n * ln2_hi is exact, then the Cephes degree-7 polynomial for e^r on [-ln2/2, ln2/2]. */
static inline vf vexp(vf x) {
    const vf lo = vset1(-87.33654475f), hi = vset1(88.0f);
    /* max/min return their second operand on NaN: keep x second so NaN flows through. */
    vf xc = vmin(hi, vmax(lo, x));
    vf n = vround(vmul(xc, vset1(1.44269504088896341f)));
    vf r = vfnma(n, vset1(0.693359375f), xc);
    r = vfnma(n, vset1(-2.12194440e-4f), r);
    vf p = vset1(1.9875691500e-4f);
    p = vfma(p, r, vset1(1.3981999507e-3f));
    p = vfma(p, r, vset1(8.3334519073e-3f));
    p = vfma(p, r, vset1(4.1665795894e-2f));
    p = vfma(p, r, vset1(1.6666665459e-1f));
    p = vfma(p, r, vset1(5.0000001201e-1f));
    /* 1 + (r + r^2 p): the sum of the small terms is rounded once, the 1 added last. */
    p = vadd(vfma(p, vmul(r, r), r), vset1(1.0f));
    vf y = vmul(p, vpow2i(n));
    y = vblend(vlt(x, lo), y, vzero());
    return vblend(vgt(x, hi), y, vset1(__builtin_inff()));
}

/* 1 / (1 + e^-x) through e = e^-|x| <= 1, so nothing overflows: 1 / (1 + e) for x >= 0 and
 * e / (1 + e) for x < 0 (one division either way). sigmoid(+inf) = 1, sigmoid(-inf) = 0. */
static inline vf vsigmoid(vf x) {
    vf e = vexp(vxor(vabs(x), vset1(-0.0f)));
    vf num = vblend(vlt(x, vzero()), vset1(1.0f), e);
    return vdiv(num, vadd(vset1(1.0f), e));
}

/* tanh: for |x| < 0.9 an odd polynomial x + x^3 P(x^2) (P of degree 7, interpolated at
 * Chebyshev nodes in long double), which keeps relative accuracy as x -> 0 where 1 - 2/(e+1)
 * would cancel; above, sign(x) (1 - 2e / (1 + e)) with e = e^-2|x| <= 0.17, so the
 * subtraction loses nothing and huge |x| gives exactly +-1. */
static inline vf vtanh(vf x) {
    vf a = vabs(x);
    vf s = vmul(x, x);
    vf p = vset1(1.820654041e-04f);
    p = vfma(p, s, vset1(-1.039120314e-03f));
    p = vfma(p, s, vset1(3.340372494e-03f));
    p = vfma(p, s, vset1(-8.774217235e-03f));
    p = vfma(p, s, vset1(2.185190057e-02f));
    p = vfma(p, s, vset1(-5.396651764e-02f));
    p = vfma(p, s, vset1(1.333332672e-01f));
    p = vfma(p, s, vset1(-3.333333329e-01f));
    vf small = vfma(x, vmul(s, p), x);
    vf e = vexp(vmul(a, vset1(-2.0f)));
    vf q = vdiv(vadd(e, e), vadd(vset1(1.0f), e));
    vf large = vxor(vsub(vset1(1.0f), q), vsignbit(x));
    return vblend(vlt(a, vset1(0.9f)), large, small);
}

/* atan (Cephes atanf): reduce |x| to [0, tan(pi/8)] with atan x = pi/2 - atan(1/x) and
 * atan x = pi/4 + atan((x-1)/(x+1)), then an odd degree-9 polynomial; sign restored. */
static inline vf vatan(vf x) {
    vf a = vabs(x);
    vm big = vgt(a, vset1(2.414213562373095f));
    vm mid = vgt(a, vset1(0.4142135623730950f));
    vf r = vblend(mid, a, vdiv(vsub(a, vset1(1.0f)), vadd(a, vset1(1.0f))));
    r = vblend(big, r, vdiv(vset1(-1.0f), a));
    vf y0 = vblend(mid, vzero(), vset1(0.78539816339744830962f));
    y0 = vblend(big, y0, vset1(1.57079632679489661923f));
    vf z = vmul(r, r);
    vf p = vset1(8.05374449538e-2f);
    p = vfma(p, z, vset1(-1.38776856032e-1f));
    p = vfma(p, z, vset1(1.99777106478e-1f));
    p = vfma(p, z, vset1(-3.33329491539e-1f));
    vf y = vadd(vfma(vmul(p, z), r, r), y0);
    return vxor(y, vsignbit(x));
}

/* Natural log of positive normal x (Cephes logf: mantissa in [sqrt(1/2), sqrt 2), degree-8
 * polynomial, ln2 split in two). Callers guarantee the domain. */
static inline vf vlog(vf x) {
    vf e;
    vf m = vfrexp(x, &e);
    vm lo = vlt(m, vset1(0.707106781186547524f));
    e = vblend(lo, e, vsub(e, vset1(1.0f)));
    vf t = vsub(vblend(lo, m, vadd(m, m)), vset1(1.0f));
    vf z = vmul(t, t);
    vf p = vset1(7.0376836292e-2f);
    p = vfma(p, t, vset1(-1.1514610310e-1f));
    p = vfma(p, t, vset1(1.1676998740e-1f));
    p = vfma(p, t, vset1(-1.2420140846e-1f));
    p = vfma(p, t, vset1(1.4249322787e-1f));
    p = vfma(p, t, vset1(-1.6668057665e-1f));
    p = vfma(p, t, vset1(2.0000714765e-1f));
    p = vfma(p, t, vset1(-2.4999993993e-1f));
    p = vfma(p, t, vset1(3.3333331174e-1f));
    vf y = vmul(vmul(p, t), z);
    y = vfma(e, vset1(-2.12194440e-4f), y);
    y = vfnma(z, vset1(0.5f), y);
    return vfma(e, vset1(0.693359375f), vadd(t, y));
}

/* log(1 + u) for u in [0, 1] without losing small u: log(w) * u / (w - 1) with w = 1 + u
 * corrects the rounding of w (Goldberg); when w rounds to 1, log1p(u) = u to float precision. */
static inline vf vlog1p01(vf u) {
    vf w = vadd(vset1(1.0f), u);
    vf d = vsub(w, vset1(1.0f));
    vm one = veq(d, vzero());
    vf r = vdiv(vmul(vlog(w), u), vblend(one, d, vset1(1.0f)));
    return vblend(one, r, u);
}

/* log(1 + e^z) = max(z, 0) + log1p(e^-|z|). */
static inline vf vsoftplus(vf z) {
    vf e = vexp(vxor(vabs(z), vset1(-0.0f)));
    return vadd(vmax(z, vzero()), vlog1p01(e));
}

#endif
