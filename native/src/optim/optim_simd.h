/* The optimizer kernels written once over a small vector vocabulary, instantiated by
 * optim_avx2.c and optim_avx512.c (each compiled with its own ISA flags). The includer defines:
 *   VF, VM, VW          float vector, lane mask, lanes
 *   v_set1 v_load v_store v_loadm v_storem v_tail(r)   (masked lanes load as 0, never touched)
 *   v_add v_sub v_mul v_div v_sqrt v_fmadd(a,b,c)=a*b+c v_fnmadd(a,b,c)=c-a*b v_sign v_min v_max
 *   VD, v_sumsq_acc(VD* lo, VD* hi, VF x), v_dzero(), v_dreduce(VD)
 *   OPTIM_TABLE         the name of the hpc_optim_kernels table to define
 * Tails are done with masked loads and stores so a tensor of any size is one vector loop, and the
 * tail computes exactly what a full vector would. */
#include "optim/optim_internal.h"

#define OPTIM_INLINE static inline __attribute__((always_inline))

/* Loads/stores of one block: full blocks use plain (unaligned) accesses, the tail the mask. */
#define LD(p) (full ? v_load(p) : v_loadm((p), m))
#define ST(p, x)                              \
    do {                                      \
        if (full) v_store((p), (x));          \
        else v_storem((p), m, (x));           \
    } while (0)

/* Runs BLOCK(i, m, full) over [0, n) in vectors of VW lanes, the last one masked. */
#define OPTIM_LOOP(n, BLOCK)                                   \
    do {                                                       \
        int64_t i_ = 0;                                        \
        for (; i_ + VW <= (n); i_ += VW) BLOCK(i_, v_tail(VW), 1); \
        if (i_ < (n)) BLOCK(i_, v_tail((n) - i_), 0);          \
    } while (0)

typedef struct {
    VF lr, mu, omm, wd, l1, alpha, oma, beta2, omb2, eps, step, sqrt_bc2, decay;
} vargs;

OPTIM_INLINE vargs broadcast(const hpc_optim_args* a) {
    vargs v;
    v.lr = v_set1(a->lr);
    v.mu = v_set1(a->momentum);
    v.omm = v_set1(a->one_minus_momentum);
    v.wd = v_set1(a->weight_decay);
    v.l1 = v_set1(a->l1);
    v.alpha = v_set1(a->alpha);
    v.oma = v_set1(a->one_minus_alpha);
    v.beta2 = v_set1(a->beta2);
    v.omb2 = v_set1(a->one_minus_beta2);
    v.eps = v_set1(a->eps);
    v.step = v_set1(a->step_size);
    v.sqrt_bc2 = v_set1(a->sqrt_bc2);
    v.decay = v_set1(a->decay);
    return v;
}

/* g' = g + weight_decay * w + l1 * sign(w). */
OPTIM_INLINE VF reg_grad(const vargs* a, VF g, VF w) { return v_fmadd(a->l1, v_sign(w), v_fmadd(a->wd, w, g)); }

OPTIM_INLINE void sgd_block(const vargs* a, float* w, const float* g, VM m, int full) {
    VF wv = LD(w);
    ST(w, v_fnmadd(a->lr, reg_grad(a, LD(g), wv), wv));
}
static void sgd(int64_t n, const hpc_optim_args* args, float* w, const float* g, float* s1, float* s2) {
    const vargs a = broadcast(args);
#define BLOCK(i, m, full) sgd_block(&a, w + (i), g + (i), (m), (full))
    OPTIM_LOOP(n, BLOCK);
#undef BLOCK
}

OPTIM_INLINE void sgd_momentum_block(const vargs* a, float* w, const float* g, float* v, VM m, int full) {
    VF wv = LD(w);
    VF vv = v_fmadd(a->mu, LD(v), reg_grad(a, LD(g), wv));
    ST(v, vv);
    ST(w, v_fnmadd(a->lr, vv, wv));
}
static void sgd_momentum(int64_t n, const hpc_optim_args* args, float* w, const float* g, float* v, float* s2) {
    const vargs a = broadcast(args);
#define BLOCK(i, m, full) sgd_momentum_block(&a, w + (i), g + (i), v + (i), (m), (full))
    OPTIM_LOOP(n, BLOCK);
#undef BLOCK
}

OPTIM_INLINE void sgd_convex_block(const vargs* a, float* w, const float* g, float* v, VM m, int full) {
    VF wv = LD(w);
    VF vv = v_fnmadd(a->omm, reg_grad(a, LD(g), wv), v_mul(a->mu, LD(v)));
    ST(v, vv);
    ST(w, v_fmadd(a->lr, vv, wv));
}
static void sgd_convex(int64_t n, const hpc_optim_args* args, float* w, const float* g, float* v, float* s2) {
    const vargs a = broadcast(args);
#define BLOCK(i, m, full) sgd_convex_block(&a, w + (i), g + (i), v + (i), (m), (full))
    OPTIM_LOOP(n, BLOCK);
#undef BLOCK
}

OPTIM_INLINE void nesterov_block(const vargs* a, float* w, const float* g, float* v, VM m, int full) {
    VF wv = LD(w);
    VF gv = reg_grad(a, LD(g), wv);
    VF vv = v_fmadd(a->mu, LD(v), gv);
    ST(v, vv);
    ST(w, v_fnmadd(a->lr, v_fmadd(a->mu, vv, gv), wv));
}
static void nesterov(int64_t n, const hpc_optim_args* args, float* w, const float* g, float* v, float* s2) {
    const vargs a = broadcast(args);
#define BLOCK(i, m, full) nesterov_block(&a, w + (i), g + (i), v + (i), (m), (full))
    OPTIM_LOOP(n, BLOCK);
#undef BLOCK
}

/* Updates the square average and returns g' / (sqrt(sq) + eps). */
OPTIM_INLINE VF rms_step(const vargs* a, VF gv, float* sq, VM m, int full) {
    VF sv = v_fmadd(a->alpha, LD(sq), v_mul(a->oma, v_mul(gv, gv)));
    ST(sq, sv);
    return v_div(gv, v_add(v_sqrt(sv), a->eps));
}

OPTIM_INLINE void rmsprop_block(const vargs* a, float* w, const float* g, float* sq, VM m, int full) {
    VF wv = LD(w);
    VF step = rms_step(a, reg_grad(a, LD(g), wv), sq, m, full);
    ST(w, v_fnmadd(a->lr, step, wv));
}
static void rmsprop(int64_t n, const hpc_optim_args* args, float* w, const float* g, float* sq, float* s2) {
    const vargs a = broadcast(args);
#define BLOCK(i, m, full) rmsprop_block(&a, w + (i), g + (i), sq + (i), (m), (full))
    OPTIM_LOOP(n, BLOCK);
#undef BLOCK
}

OPTIM_INLINE void rmsprop_momentum_block(const vargs* a, float* w, const float* g, float* sq, float* buf, VM m,
                                         int full) {
    VF wv = LD(w);
    VF step = rms_step(a, reg_grad(a, LD(g), wv), sq, m, full);
    VF bv = v_fmadd(a->mu, LD(buf), step);
    ST(buf, bv);
    ST(w, v_fnmadd(a->lr, bv, wv));
}
static void rmsprop_momentum(int64_t n, const hpc_optim_args* args, float* w, const float* g, float* sq,
                             float* buf) {
    const vargs a = broadcast(args);
#define BLOCK(i, m, full) rmsprop_momentum_block(&a, w + (i), g + (i), sq + (i), buf + (i), (m), (full))
    OPTIM_LOOP(n, BLOCK);
#undef BLOCK
}

OPTIM_INLINE void adam_block(const vargs* a, float* w, const float* g, float* mo, float* ve, VM m, int full) {
    VF wv = LD(w);
    VF gv = reg_grad(a, LD(g), wv);
    VF mv = v_fmadd(a->alpha, LD(mo), v_mul(a->oma, gv));
    VF vv = v_fmadd(a->beta2, LD(ve), v_mul(a->omb2, v_mul(gv, gv)));
    ST(mo, mv);
    ST(ve, vv);
    VF denom = v_add(v_div(v_sqrt(vv), a->sqrt_bc2), a->eps);
    ST(w, v_fnmadd(a->step, v_div(mv, denom), v_mul(a->decay, wv)));
}
static void adam(int64_t n, const hpc_optim_args* args, float* w, const float* g, float* mo, float* ve) {
    const vargs a = broadcast(args);
#define BLOCK(i, m, full) adam_block(&a, w + (i), g + (i), mo + (i), ve + (i), (m), (full))
    OPTIM_LOOP(n, BLOCK);
#undef BLOCK
}

/* Four double accumulators (two per float vector) hide the add latency. */
static double sum_squares(int64_t n, const float* x) {
    VD acc0 = v_dzero(), acc1 = v_dzero(), acc2 = v_dzero(), acc3 = v_dzero();
    int64_t i = 0;
    for (; i + 2 * VW <= n; i += 2 * VW) {
        v_sumsq_acc(&acc0, &acc1, v_load(x + i));
        v_sumsq_acc(&acc2, &acc3, v_load(x + i + VW));
    }
    for (; i < n; i += VW) {
        int64_t r = n - i < VW ? n - i : VW;
        v_sumsq_acc(&acc0, &acc1, v_loadm(x + i, v_tail(r)));
    }
    return v_dreduce(acc0) + v_dreduce(acc1) + v_dreduce(acc2) + v_dreduce(acc3);
}

OPTIM_INLINE void scale_block(VF alpha, float* x, VM m, int full) { ST(x, v_mul(LD(x), alpha)); }
static void scale(int64_t n, float alpha, float* x) {
    const VF av = v_set1(alpha);
#define BLOCK(i, m, full) scale_block(av, x + (i), (m), (full))
    OPTIM_LOOP(n, BLOCK);
#undef BLOCK
}

/* v_max/v_min return their second operand when either is NaN, so x goes second: NaN survives. */
OPTIM_INLINE void clip_block(VF lo, VF hi, float* x, VM m, int full) { ST(x, v_min(hi, v_max(lo, LD(x)))); }
static void clip(int64_t n, float lo, float hi, float* x) {
    const VF lv = v_set1(lo), hv = v_set1(hi);
#define BLOCK(i, m, full) clip_block(lv, hv, x + (i), (m), (full))
    OPTIM_LOOP(n, BLOCK);
#undef BLOCK
}

const hpc_optim_kernels OPTIM_TABLE = {
    .sgd = sgd,
    .sgd_momentum = sgd_momentum,
    .sgd_convex = sgd_convex,
    .nesterov = nesterov,
    .rmsprop = rmsprop,
    .rmsprop_momentum = rmsprop_momentum,
    .adam = adam,
    .sum_squares = sum_squares,
    .scale = scale,
    .clip = clip,
};
