/* Pooling: every path bit for bit against the scalar one and against naive loops, argmax rules
 * (first max, NaN propagation, -inf), gradients routed to the argmax / spread over the window,
 * thread-count determinism, unaligned buffers, the seed's 2x2 stride-2 example, bad input. */
#include "testutil.h"

static int64_t pout(int64_t in, int64_t win, int64_t st, int64_t pad) { return (in + 2 * pad - win) / st + 1; }

/* Naive max pool with the documented rule: first maximum in row-major window order, first NaN wins. */
static void ref_max(const hpc_pool2d_desc* d, const float* x, float* y, int32_t* am) {
    int64_t oh = pout(d->h, d->window_h, d->stride_h, d->pad_h), ow = pout(d->w, d->window_w, d->stride_w, d->pad_w);
    for (int64_t p = 0; p < d->n * d->c; p++)
        for (int64_t i = 0; i < oh; i++)
            for (int64_t j = 0; j < ow; j++) {
                int found = 0;
                float best = 0;
                int32_t at = -1;
                for (int64_t a = 0; a < d->window_h; a++)
                    for (int64_t b = 0; b < d->window_w; b++) {
                        int64_t ih = i * d->stride_h - d->pad_h + a, iw = j * d->stride_w - d->pad_w + b;
                        if (ih < 0 || ih >= d->h || iw < 0 || iw >= d->w) continue;
                        float v = x[p * d->h * d->w + ih * d->w + iw];
                        int take = !found || (!isnan(best) && (isnan(v) || v > best));
                        if (take) best = v, at = (int32_t)(ih * d->w + iw), found = 1;
                    }
                y[(p * oh + i) * ow + j] = best;
                am[(p * oh + i) * ow + j] = at;
            }
}

static void ref_avg(const hpc_pool2d_desc* d, int incl, const float* x, const float* dy, double* y, double* dx) {
    int64_t oh = pout(d->h, d->window_h, d->stride_h, d->pad_h), ow = pout(d->w, d->window_w, d->stride_w, d->pad_w);
    memset(dx, 0, sizeof(double) * d->n * d->c * d->h * d->w);
    for (int64_t p = 0; p < d->n * d->c; p++)
        for (int64_t i = 0; i < oh; i++)
            for (int64_t j = 0; j < ow; j++) {
                double sum = 0;
                int64_t cnt = 0;
                for (int pass = 0; pass < 2; pass++)
                    for (int64_t a = 0; a < d->window_h; a++)
                        for (int64_t b = 0; b < d->window_w; b++) {
                            int64_t ih = i * d->stride_h - d->pad_h + a, iw = j * d->stride_w - d->pad_w + b;
                            if (ih < 0 || ih >= d->h || iw < 0 || iw >= d->w) continue;
                            int64_t xi = p * d->h * d->w + ih * d->w + iw;
                            double div = incl ? (double)(d->window_h * d->window_w) : (double)cnt;
                            if (pass == 0) sum += x[xi], cnt++;
                            else dx[xi] += dy[(p * oh + i) * ow + j] / div;
                        }
                y[(p * oh + i) * ow + j] = sum / (incl ? (double)(d->window_h * d->window_w) : (double)cnt);
            }
}

static hpc_pool2d_desc random_desc(void) {
    for (;;) {
        hpc_pool2d_desc d;
        d.n = 1 + tu_next() % 2;
        d.c = 1 + tu_next() % 3;
        d.h = 1 + tu_next() % 13;
        d.w = tu_next() % 3 == 0 ? 1 + tu_next() % 67 : 1 + tu_next() % 13;
        d.window_h = 1 + tu_next() % 4;
        d.window_w = 1 + tu_next() % 4;
        d.stride_h = 1 + tu_next() % 3;
        d.stride_w = 1 + tu_next() % 3;
        d.pad_h = tu_next() % d.window_h;
        d.pad_w = tu_next() % d.window_w;
        if (tu_next() % 4 == 0) d.pad_h = d.pad_w = 0;
        if (tu_next() % 4 == 0) { /* the 2x2 stride-2 kernel, odd and even sizes */
            d.window_h = d.window_w = d.stride_h = d.stride_w = 2;
            d.pad_h = d.pad_w = 0;
        }
        if (d.window_h <= d.h + 2 * d.pad_h && d.window_w <= d.w + 2 * d.pad_w) return d;
    }
}

static void test_random(int count) {
    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    for (int it = 0; it < count; it++) {
        hpc_pool2d_desc d = random_desc();
        int64_t oh = pout(d.h, d.window_h, d.stride_h, d.pad_h), ow = pout(d.w, d.window_w, d.stride_w, d.pad_w);
        int64_t nx = d.n * d.c * d.h * d.w, ny = d.n * d.c * oh * ow, plane = d.h * d.w;
        /* +1: buffers used one float past their aligned start. */
        float *xmb = tu_alloc(nx + 1), *xab = tu_alloc(nx + 1), *dyb = tu_alloc(ny + 1);
        float *xm = xmb + 1, *xa = xab + 1, *dy = dyb + 1;
        /* Few distinct values make ties common; NaN and -inf join in for max pooling. */
        for (int64_t i = 0; i < nx; i++) xm[i] = (float)(int)(tu_next() % 7) - 3.0f;
        if (it % 4 == 0) xm[tu_next() % nx] = NAN, xm[tu_next() % nx] = NAN;
        if (it % 3 == 0) xm[tu_next() % nx] = -INFINITY;
        tu_fill(xa, nx, -1, 1);
        tu_fill(dy, ny, -1, 1);
        int incl = (int)(tu_next() % 2);
        float* rmax = tu_alloc(ny);
        int32_t* ram = malloc(sizeof(int32_t) * (size_t)ny);
        ref_max(&d, xm, rmax, ram);
        double* rdmax = calloc((size_t)nx, sizeof(double));
        for (int64_t i = 0; i < ny; i++) rdmax[(i / (oh * ow)) * plane + ram[i]] += dy[i];
        double *ravg = malloc(sizeof(double) * ny), *rdavg = malloc(sizeof(double) * nx);
        ref_avg(&d, incl, xa, dy, ravg, rdavg);

        float *first_y = NULL, *first_dx = NULL, *first_ya = NULL, *first_dxa = NULL;
        for (int ii = 0; ii < nisa; ii++)
            for (int t = 1; t <= 2; t++) {
                hpc_ctx* ctx = tu_ctx(isas[ii], t);
                const char* isa = hpc_isa_name(isas[ii]);
                float *y = tu_alloc(ny), *y2 = tu_alloc(ny), *dx = tu_alloc(nx), *ya = tu_alloc(ny), *dxa = tu_alloc(nx);
                int32_t* am = malloc(sizeof(int32_t) * (size_t)(ny + 1));
                int bad = 0;
                TU_OK(hpc_maxpool2d_forward(ctx, &d, xm, y, am + 1));
                for (int64_t i = 0; i < ny && bad < 3; i++)
                    if (memcmp(&y[i], &rmax[i], 4) != 0 || am[i + 1] != ram[i]) {
                        bad++;
                        TU_CHECK(0, "maxpool %s t%d y[%lld] = %g @%d want %g @%d (%lldx%lld win %lldx%lld st %lld,%lld pad %lld,%lld)",
                                 isa, t, (long long)i, y[i], am[i + 1], rmax[i], ram[i], (long long)d.h, (long long)d.w,
                                 (long long)d.window_h, (long long)d.window_w, (long long)d.stride_h,
                                 (long long)d.stride_w, (long long)d.pad_h, (long long)d.pad_w);
                    }
                TU_OK(hpc_maxpool2d_forward(ctx, &d, xm, y2, NULL));
                TU_CHECK(memcmp(y, y2, sizeof(float) * ny) == 0, "maxpool %s without argmax differs", isa);
                TU_OK(hpc_maxpool2d_backward(ctx, &d, dy, am + 1, dx));
                for (int64_t i = 0; i < nx && bad < 3; i++)
                    if (!tu_close(dx[i], rdmax[i], 1e-6, 1e-6)) {
                        bad++;
                        TU_CHECK(0, "maxpool backward %s dx[%lld] = %g want %g", isa, (long long)i, dx[i], rdmax[i]);
                    }
                TU_OK(hpc_avgpool2d_forward(ctx, &d, incl, xa, ya));
                for (int64_t i = 0; i < ny && bad < 3; i++)
                    if (!tu_close(ya[i], ravg[i], 1e-6, 1e-6)) {
                        bad++;
                        TU_CHECK(0, "avgpool %s incl %d y[%lld] = %g want %g", isa, incl, (long long)i, ya[i], ravg[i]);
                    }
                TU_OK(hpc_avgpool2d_backward(ctx, &d, incl, dy, dxa));
                for (int64_t i = 0; i < nx && bad < 3; i++)
                    if (!tu_close(dxa[i], rdavg[i], 1e-6, 1e-5)) {
                        bad++;
                        TU_CHECK(0, "avgpool backward %s dx[%lld] = %g want %g", isa, (long long)i, dxa[i], rdavg[i]);
                    }
                if (!first_y) {
                    first_y = y, first_dx = dx, first_ya = ya, first_dxa = dxa;
                } else {
                    /* every path and thread count: bit for bit what the scalar path with 1 thread gave */
                    TU_CHECK(memcmp(first_y, y, sizeof(float) * ny) == 0 && memcmp(first_dx, dx, sizeof(float) * nx) == 0 &&
                                 memcmp(first_ya, ya, sizeof(float) * ny) == 0 &&
                                 memcmp(first_dxa, dxa, sizeof(float) * nx) == 0,
                             "%s t%d differs from scalar t1", isa, t);
                    free(y), free(dx), free(ya), free(dxa);
                }
                free(y2), free(am);
                hpc_ctx_destroy(ctx);
            }
        free(first_y), free(first_dx), free(first_ya), free(first_dxa);
        free(xmb), free(xab), free(dyb), free(rmax), free(ram), free(rdmax), free(ravg), free(rdavg);
    }
}

/* Seed 004, Figure 9: 2x2 max pool, stride 2, and its gradient routed to the argmax. */
static void test_seed(void) {
    static const float x[16] = {1, 1, 2, 4, 5, 6, 7, 8, 3, 2, 1, 0, 1, 2, 3, 4};
    static const float want[4] = {6, 8, 3, 4};
    static const int32_t want_am[4] = {5, 7, 8, 15};
    static const float dy[4] = {0.1f, 0.2f, 0.3f, 0.4f};
    hpc_pool2d_desc d = {1, 1, 4, 4, 2, 2, 2, 2, 0, 0};
    hpc_isa isas[4];
    int nisa = tu_isas(isas);
    for (int ii = 0; ii < nisa; ii++) {
        hpc_ctx* ctx = tu_ctx(isas[ii], 1);
        int64_t oh = 0, ow = 0;
        TU_OK(hpc_pool2d_output_size(ctx, &d, &oh, &ow));
        TU_CHECK(oh == 2 && ow == 2, "output %lldx%lld", (long long)oh, (long long)ow);
        float y[4], dx[16];
        int32_t am[4];
        TU_OK(hpc_maxpool2d_forward(ctx, &d, x, y, am));
        for (int i = 0; i < 4; i++)
            TU_CHECK(y[i] == want[i] && am[i] == want_am[i], "%s y[%d] = %g @%d", hpc_isa_name(isas[ii]), i, y[i], am[i]);
        TU_OK(hpc_maxpool2d_backward(ctx, &d, dy, am, dx));
        for (int i = 0; i < 16; i++) {
            float w = 0;
            for (int j = 0; j < 4; j++)
                if (want_am[j] == i) w = dy[j];
            TU_CHECK(dx[i] == w, "%s dx[%d] = %g want %g", hpc_isa_name(isas[ii]), i, dx[i], w);
        }
        /* average of the same windows: (1+1+5+6)/4 ... */
        TU_OK(hpc_avgpool2d_forward(ctx, &d, 1, x, y));
        TU_CHECK(y[0] == 3.25f && y[1] == 5.25f && y[2] == 2.0f && y[3] == 2.0f, "avg %g %g %g %g", y[0], y[1], y[2], y[3]);
        hpc_ctx_destroy(ctx);
    }
}

/* A 3x3 window with padding 1 at the corner covers 4 pixels: 9 vs 4 as the divisor. */
static void test_count_include_pad(void) {
    float x[4] = {1, 2, 3, 4}, y[4];
    hpc_pool2d_desc d = {1, 1, 2, 2, 3, 3, 1, 1, 1, 1};
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    TU_OK(hpc_avgpool2d_forward(ctx, &d, 1, x, y));
    TU_CHECK(y[0] == 10.0f / 9.0f, "include pad %g", y[0]);
    TU_OK(hpc_avgpool2d_forward(ctx, &d, 0, x, y));
    TU_CHECK(y[0] == 2.5f && y[3] == 2.5f, "exclude pad %g", y[0]);
    hpc_ctx_destroy(ctx);
}

static void test_bad_input(void) {
    hpc_ctx* ctx = tu_ctx(HPC_ISA_AUTO, 1);
    float buf[256] = {0};
    int32_t am[64] = {0};
    int64_t oh, ow;
    hpc_pool2d_desc ok = {1, 2, 4, 4, 2, 2, 2, 2, 0, 0}, d;
    d = ok, d.window_h = 5;
    tu_expect_invalid(ctx, hpc_pool2d_output_size(ctx, &d, &oh, &ow), "window larger than input", "window 5x2");
    TU_CHECK(strstr(hpc_ctx_last_error(ctx), "4x4") != NULL, "names the input: %s", hpc_ctx_last_error(ctx));
    d = ok, d.stride_w = 0;
    tu_expect_invalid(ctx, hpc_maxpool2d_forward(ctx, &d, buf, buf, am), "stride 0", "stride_w = 0");
    d = ok, d.pad_h = 2;
    tu_expect_invalid(ctx, hpc_avgpool2d_forward(ctx, &d, 1, buf, buf), "pad >= window", "pad 2,0");
    d = ok, d.c = -3;
    tu_expect_invalid(ctx, hpc_maxpool2d_backward(ctx, &d, buf, am, buf), "negative c", "c = -3");
    d = ok, d.h = 65536, d.w = 65536;
    tu_expect_invalid(ctx, hpc_pool2d_output_size(ctx, &d, &oh, &ow), "plane beyond int32", "65536x65536");
    tu_expect_invalid(ctx, hpc_avgpool2d_forward(ctx, &ok, 2, buf, buf), "flag", "count_include_pad = 2");
    tu_expect_invalid(ctx, hpc_avgpool2d_backward(ctx, &ok, -1, buf, buf), "flag", "count_include_pad = -1");
    tu_expect_invalid(ctx, hpc_maxpool2d_forward(ctx, &ok, NULL, buf, am), "null x", "x is null");
    tu_expect_invalid(ctx, hpc_maxpool2d_backward(ctx, &ok, buf, NULL, buf), "null argmax", "argmax is null");
    tu_expect_invalid(ctx, hpc_maxpool2d_forward(ctx, NULL, buf, buf, am), "null desc", "desc is null");
    for (int i = 0; i < 8; i++) am[i] = i;
    am[6] = 16;
    tu_expect_invalid(ctx, hpc_maxpool2d_backward(ctx, &ok, buf, am, buf), "argmax out of plane", "argmax[6] = 16");
    am[6] = -1;
    tu_expect_invalid(ctx, hpc_maxpool2d_backward(ctx, &ok, buf, am, buf), "negative argmax", "argmax[6] = -1");
    d = ok, d.n = 0;
    TU_OK(hpc_maxpool2d_forward(ctx, &d, NULL, NULL, NULL));
    TU_CHECK(hpc_maxpool2d_forward(NULL, &ok, buf, buf, am) == HPC_STATUS_INVALID_ARGUMENT, "null ctx");
    hpc_ctx_destroy(ctx);
}

int main(int argc, char** argv) {
    tu_init(argc, argv);
    tu_seed(4242);
    test_seed();
    test_count_include_pad();
    test_bad_input();
    test_random(400);
    return tu_finish("test_pool");
}
