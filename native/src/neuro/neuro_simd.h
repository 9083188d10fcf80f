/* The neuro kernels written once over HPC_W float lanes; instantiated by neuro_avx2.c and
 * neuro_avx512.c after simd/simd_<isa>.h and simd/vmath_simd.h (whose vexp the
 * Hodgkin-Huxley step uses). The LIF, filter and propagation kernels use the scalar path's
 * operations in its order (no fused multiply-add), so they are bit-identical to it; the few
 * integer and mask operations are spelled per width here. */
#include "neuro/neuro_internal.h"

#if HPC_W == 8
typedef __m256i vcount;
static inline vcount vc_load(const int32_t* p) { return _mm256_loadu_si256((const __m256i*)p); }
static inline void vc_store(int32_t* p, vcount c) { _mm256_storeu_si256((__m256i*)p, c); }
/* Lanes still refractory (counter > 0). */
static inline vm vc_positive(vcount c) { return _mm256_castsi256_ps(_mm256_cmpgt_epi32(c, _mm256_setzero_si256())); }
/* refractory lanes count down, spiking lanes restart at steps, the rest keep their counter. */
static inline vcount vc_update(vcount c, vm refractory, vm spiking, int32_t steps) {
    vcount down = _mm256_sub_epi32(c, _mm256_set1_epi32(1));
    c = _mm256_blendv_epi8(c, down, _mm256_castps_si256(refractory));
    return _mm256_blendv_epi8(c, _mm256_set1_epi32(steps), _mm256_castps_si256(spiking));
}
static inline vm vm_and(vm a, vm b) { return _mm256_and_ps(a, b); }
static inline vm vm_or(vm a, vm b) { return _mm256_or_ps(a, b); }
static inline vm vm_andnot(vm a, vm b) { return _mm256_andnot_ps(a, b); } /* ~a & b */
static inline unsigned vm_bits(vm a) { return (unsigned)_mm256_movemask_ps(a); }
#else
typedef __m512i vcount;
static inline vcount vc_load(const int32_t* p) { return _mm512_loadu_si512((const void*)p); }
static inline void vc_store(int32_t* p, vcount c) { _mm512_storeu_si512((void*)p, c); }
static inline vm vc_positive(vcount c) { return _mm512_cmpgt_epi32_mask(c, _mm512_setzero_si512()); }
static inline vcount vc_update(vcount c, vm refractory, vm spiking, int32_t steps) {
    c = _mm512_mask_sub_epi32(c, refractory, c, _mm512_set1_epi32(1));
    return _mm512_mask_mov_epi32(c, spiking, _mm512_set1_epi32(steps));
}
static inline vm vm_and(vm a, vm b) { return (vm)(a & b); }
static inline vm vm_or(vm a, vm b) { return (vm)(a | b); }
static inline vm vm_andnot(vm a, vm b) { return (vm)(~a & b); }
static inline unsigned vm_bits(vm a) { return (unsigned)a; }
#endif

/* Appends base + i0 + lane for each set bit (ascending) and counts them. */
static inline int64_t HPC_SFX(emit)(unsigned bits, int64_t base, int64_t i0, int32_t* spikes, int64_t count,
                                    int32_t* counts) {
    while (bits) {
        int lane = __builtin_ctz(bits);
        bits &= bits - 1;
        spikes[count++] = (int32_t)(base + i0 + lane);
        if (counts) counts[i0 + lane]++;
    }
    return count;
}

static int64_t HPC_SFX(lif)(int64_t base, int64_t n, float a, int32_t refractory_steps, const float* v_in, float* s,
                            float s_decay, float* v, int32_t* refractory, int32_t* spikes, int32_t* counts) {
    const vf va = vset1(a), vdecay = vset1(s_decay), one = vset1(1.0f), zero = vzero();
    int64_t count = 0, i = 0;
    for (; i + HPC_W <= n; i += HPC_W) {
        vcount r = vc_load(refractory + i);
        vm refr = vc_positive(r);
        vf u = vload(v_in + i);
        if (s) {
            vf si = vload(s + i);
            u = vadd(u, si);
            vstore(s + i, vmul(si, vdecay));
        }
        vf x = vadd(u, vmul(vsub(vload(v + i), u), va));
        vm spk = vm_andnot(refr, vge(x, one));
        vstore(v + i, vblend(vm_or(refr, spk), x, zero));
        vc_store(refractory + i, vc_update(r, refr, spk, refractory_steps));
        unsigned bits = vm_bits(spk);
        if (bits) count = HPC_SFX(emit)(bits, base, i, spikes, count, counts);
    }
    if (i < n)
        count += hpc_neuro_kernels_scalar.lif(base + i, n - i, a, refractory_steps, v_in + i, s ? s + i : NULL, s_decay, v + i,
                                              refractory + i, spikes + count, counts ? counts + i : NULL);
    return count;
}

/* u / (1 - e^-u) with the series of hpc_hh_rates near u = 0. */
static inline vf HPC_SFX(exprel_inv)(vf u) {
    vf direct = vdiv(u, vsub(vset1(1.0f), vexp(vxor(u, vset1(-0.0f)))));
    vf u2 = vmul(u, u);
    vf series = vsub(vadd(vadd(vset1(1.0f), vmul(u, vset1(0.5f))), vmul(u2, vset1(1.0f / 12.0f))),
                     vmul(vmul(u2, u2), vset1(1.0f / 720.0f)));
    return vblend(vlt(vabs(u), vset1(HPC_HH_SERIES_LIMIT)), direct, series);
}

static inline vf HPC_SFX(gate)(vf x, vf alpha, vf beta, vf neg_dt) {
    vf r = vadd(alpha, beta), inf = vdiv(alpha, r);
    return vadd(inf, vmul(vsub(x, inf), vexp(vmul(neg_dt, r))));
}

/* One HH step of HPC_W neurons from i0 (lanes [0, len) of a partial vector at the end). */
static inline int64_t HPC_SFX(hh_lanes)(int64_t base, int64_t i0, int64_t len, float dt, const float* i_in, float* v,
                                        float* m, float* h, float* ng, int32_t* spikes, int64_t count,
                                        int32_t* counts) {
    const int full = len == HPC_W;
    vf vo = full ? vload(v + i0) : vloadn(v + i0, len);
    vf mi = full ? vload(m + i0) : vloadn(m + i0, len);
    vf hi = full ? vload(h + i0) : vloadn(h + i0, len);
    vf ni = full ? vload(ng + i0) : vloadn(ng + i0, len);
    const vf neg_dt = vset1(-dt);
    vf am = HPC_SFX(exprel_inv)(vmul(vadd(vo, vset1(40.0f)), vset1(0.1f)));
    vf bm = vmul(vset1(4.0f), vexp(vmul(vadd(vo, vset1(65.0f)), vset1(-1.0f / 18.0f))));
    vf ah = vmul(vset1(0.07f), vexp(vmul(vadd(vo, vset1(65.0f)), vset1(-0.05f))));
    vf bh = vdiv(vset1(1.0f), vadd(vset1(1.0f), vexp(vmul(vadd(vo, vset1(35.0f)), vset1(-0.1f)))));
    vf an = vmul(vset1(0.1f), HPC_SFX(exprel_inv)(vmul(vadd(vo, vset1(55.0f)), vset1(0.1f))));
    vf bn = vmul(vset1(0.125f), vexp(vmul(vadd(vo, vset1(65.0f)), vset1(-1.0f / 80.0f))));
    vf gna = vmul(vset1(HPC_HH_G_NA), vmul(vmul(vmul(mi, mi), mi), hi));
    vf n2 = vmul(ni, ni), gk = vmul(vset1(HPC_HH_G_K), vmul(n2, n2));
    vf g = vadd(vadd(gna, gk), vset1(HPC_HH_G_L));
    vf drive = vadd(vadd(vmul(gna, vset1(HPC_HH_E_NA)), vmul(gk, vset1(HPC_HH_E_K))),
                    vmul(vset1(HPC_HH_G_L), vset1(HPC_HH_E_L)));
    if (i_in) drive = vadd(drive, full ? vload(i_in + i0) : vloadn(i_in + i0, len));
    vf vinf = vdiv(drive, g);
    vf vn = vadd(vinf, vmul(vsub(vo, vinf), vexp(vmul(neg_dt, g))));
    mi = HPC_SFX(gate)(mi, am, bm, neg_dt);
    hi = HPC_SFX(gate)(hi, ah, bh, neg_dt);
    ni = HPC_SFX(gate)(ni, an, bn, neg_dt);
    vm spk = vm_and(vlt(vo, vzero()), vge(vn, vzero()));
    if (full) {
        vstore(v + i0, vn), vstore(m + i0, mi), vstore(h + i0, hi), vstore(ng + i0, ni);
    } else {
        vstoren(v + i0, vn, len), vstoren(m + i0, mi, len), vstoren(h + i0, hi, len), vstoren(ng + i0, ni, len);
        spk = vm_and(spk, vlanes(len));
    }
    unsigned bits = vm_bits(spk);
    return bits ? HPC_SFX(emit)(bits, base, i0, spikes, count, counts) : count;
}

static int64_t HPC_SFX(hh)(int64_t base, int64_t n, float dt, const float* i_in, float* v, float* m, float* h,
                           float* ng, int32_t* spikes, int32_t* counts) {
    int64_t count = 0;
    for (int64_t i = 0; i < n; i += HPC_W)
        count = HPC_SFX(hh_lanes)(base, i, n - i < HPC_W ? n - i : HPC_W, dt, i_in, v, m, h, ng, spikes, count, counts);
    return count;
}

static void HPC_SFX(decay)(int64_t n, float a, float* s) {
    const vf va = vset1(a);
    int64_t i = 0;
    for (; i + HPC_W <= n; i += HPC_W) vstore(s + i, vmul(vload(s + i), va));
    if (i < n) vstoren(s + i, vmul(vloadn(s + i, n - i), va), n - i);
}

static void HPC_SFX(psc2)(int64_t n, float a, float c, float k, float d, float* x, float* s) {
    const vf va = vset1(a), vc = vset1(c), vk = vset1(k), vd = vset1(d);
    for (int64_t i = 0; i < n; i += HPC_W) {
        int64_t len = n - i < HPC_W ? n - i : HPC_W;
        vf xo = len == HPC_W ? vload(x + i) : vloadn(x + i, len);
        vf so = len == HPC_W ? vload(s + i) : vloadn(s + i, len);
        vf sn = vmul(vadd(vmul(so, vc), vmul(vk, xo)), vd), xn = vmul(xo, va);
        if (len == HPC_W) {
            vstore(s + i, sn), vstore(x + i, xn);
        } else {
            vstoren(s + i, sn, len), vstoren(x + i, xn, len);
        }
    }
}

/* Four vectors of target stay in registers while every spiking column is added to them, in
 * list order (the scalar order, so the sums agree bit for bit). */
static void HPC_SFX(add_columns)(int64_t n, const float* w, int64_t ldw, const int32_t* spikes, int64_t count,
                                 float* target) {
    int64_t i = 0;
    for (; i + 4 * HPC_W <= n; i += 4 * HPC_W) {
        vf t0 = vload(target + i), t1 = vload(target + i + HPC_W), t2 = vload(target + i + 2 * HPC_W),
           t3 = vload(target + i + 3 * HPC_W);
        for (int64_t q = 0; q < count; q++) {
            const float* col = w + (int64_t)spikes[q] * ldw + i;
            t0 = vadd(t0, vload(col)), t1 = vadd(t1, vload(col + HPC_W));
            t2 = vadd(t2, vload(col + 2 * HPC_W)), t3 = vadd(t3, vload(col + 3 * HPC_W));
        }
        vstore(target + i, t0), vstore(target + i + HPC_W, t1), vstore(target + i + 2 * HPC_W, t2);
        vstore(target + i + 3 * HPC_W, t3);
    }
    for (; i < n; i += HPC_W) {
        int64_t len = n - i < HPC_W ? n - i : HPC_W;
        vf t = vloadn(target + i, len);
        for (int64_t q = 0; q < count; q++) t = vadd(t, vloadn(w + (int64_t)spikes[q] * ldw + i, len));
        vstoren(target + i, t, len);
    }
}

const hpc_neuro_kernels HPC_SFX(hpc_neuro_kernels) = {HPC_SFX(lif), HPC_SFX(hh), HPC_SFX(decay), HPC_SFX(psc2),
                                                      HPC_SFX(add_columns)};
