/* The layouts the direct kernels read, in plain C (every path's instance shares them): weight
 * packing, padded-plane sizes, the transposed geometry of backward-data. */
#include "conv/conv_internal.h"

int hpc_conv_is_pointwise(const hpc_conv_geom* g) {
    return g->r == 1 && g->s == 1 && g->sh == 1 && g->sw == 1 && g->ph == 0 && g->pw == 0;
}

/* dx is the stride-1 convolution of dy (k channels) with the flipped kernel transposed (c
 * filters), padded by d (r - 1) - p; the padding must not exceed the dilated kernel, or dx would
 * need cropping. */
int hpc_conv_transposed_geom(const hpc_conv_geom* g, hpc_conv_geom* t) {
    int64_t ph = g->dh * (g->r - 1) - g->ph, pw = g->dw * (g->s - 1) - g->pw;
    if (g->sh != 1 || g->sw != 1 || ph < 0 || pw < 0) return 0;
    *t = *g;
    t->c = g->k, t->h = g->oh, t->w = g->ow, t->k = g->c;
    t->ph = ph, t->pw = pw;
    t->oh = g->h, t->ow = g->w, t->ohw = g->h * g->w;
    t->crs = g->k * g->r * g->s;
    return 1;
}

int hpc_conv_flat_supported(const hpc_conv_geom* g) { return g->sh == 1 && g->sw == 1; }

int64_t hpc_conv_flat_dy_stride(const hpc_conv_geom* g, int64_t wp) { return (g->oh * wp + 7) / 8 * 8; }

/* w[k][c][r][s] -> wb[k / 8][c][r][s][8], channels past k zero. */
void hpc_conv_oc8_pack_weights(const hpc_conv_geom* g, const float* w, float* wb) {
    int64_t blocks = hpc_conv_oc_blocks(g->k);
    for (int64_t kb = 0; kb < blocks; kb++)
        for (int64_t t = 0; t < g->crs; t++)
            for (int64_t o = 0; o < HPC_CONV_OC; o++) {
                int64_t k = kb * HPC_CONV_OC + o;
                wb[(kb * g->crs + t) * HPC_CONV_OC + o] = k < g->k ? w[k * g->crs + t] : 0.0f;
            }
}

/* The weights of the convolution that computes dx from dy (stride 1): filters and channels
 * swapped and the kernel flipped, wb[c / 8][k][r'][s'][8] = w[k][c][r - 1 - r'][s - 1 - s'], in
 * the layout the 8-channel kernel reads for a layer with k input and c output channels. */
void hpc_conv_oc8_pack_weights_flipped(const hpc_conv_geom* g, const float* w, float* wb) {
    int64_t blocks = hpc_conv_oc_blocks(g->c), rs = g->r * g->s;
    for (int64_t cb = 0; cb < blocks; cb++)
        for (int64_t k = 0; k < g->k; k++)
            for (int64_t t = 0; t < rs; t++)
                for (int64_t o = 0; o < HPC_CONV_OC; o++) {
                    int64_t c = cb * HPC_CONV_OC + o;
                    wb[((cb * g->k + k) * rs + t) * HPC_CONV_OC + o] = c < g->c ? w[(k * g->c + c) * rs + (rs - 1 - t)] : 0.0f;
                }
}

/* The weights of the convolution g computes (k output, c input channels, c a multiple of 8) in
 * the order the channel-blocked kernel reads: wb[k / 8][c / 8][r][s][c % 8][8], channels past k
 * zero. Not flipped, w is g's own (k x c x r x s); flipped (backward-data, g the transposed
 * geometry), w is the forward layer's (c x k x r x s), its kernel read back to front. */
void hpc_conv_oc8_pack_weights_blocked(const hpc_conv_geom* g, const float* w, int flipped, float* wb) {
    int64_t blocks = hpc_conv_oc_blocks(g->k), cblocks = g->c / HPC_CONV_OC, rs = g->r * g->s;
    for (int64_t kb = 0; kb < blocks; kb++)
        for (int64_t cb = 0; cb < cblocks; cb++)
            for (int64_t t = 0; t < rs; t++)
                for (int64_t ci = 0; ci < HPC_CONV_OC; ci++)
                    for (int64_t o = 0; o < HPC_CONV_OC; o++) {
                        int64_t k = kb * HPC_CONV_OC + o, c = cb * HPC_CONV_OC + ci;
                        float v = k >= g->k ? 0.0f
                                  : flipped ? w[(c * g->k + k) * rs + (rs - 1 - t)]
                                            : w[(k * g->c + c) * rs + t];
                        wb[(((kb * cblocks + cb) * rs + t) * HPC_CONV_OC + ci) * HPC_CONV_OC + o] = v;
                    }
}

/* The padded plane: every tap of every output inside it, and the whole input with its padding. */
void hpc_conv_oc8_padded_dims(const hpc_conv_geom* g, int64_t* hp, int64_t* wp) {
    *hp = (g->oh - 1) * g->sh + (g->r - 1) * g->dh + 1;
    *wp = (g->ow - 1) * g->sw + (g->s - 1) * g->dw + 1;
    if (*hp < g->h + 2 * g->ph) *hp = g->h + 2 * g->ph;
    if (*wp < g->w + 2 * g->pw) *wp = g->w + 2 * g->pw;
}

int hpc_conv_oc8_blocked_supported(const hpc_conv_geom* g) { return g->c % HPC_CONV_OC == 0 && g->sh == 1 && g->sw == 1; }

/* The staged planes, then one zero-padded input row (w + 2 pw floats, + 8 for the vector copy). */
int64_t hpc_conv_flat_stage_floats(const hpc_conv_geom* g) {
    return g->c * g->s * hpc_conv_flat_staged_rows(g) * g->ow + g->w + 2 * g->pw + 8;
}
