/* The BLIS loop nest around a micro-kernel, and how a call is split across threads.
 *
 * Threads partition C into column ranges (or row ranges when C is too narrow), each a multiple of
 * the register tile, and run the whole loop nest on their range with their own pack buffers. K is
 * never split and tile boundaries do not move with the partition, so every element of C sees the
 * same operations in the same order whatever the thread count: results are bit-identical. */
#include "core/internal.h"
#include "gemm/gemm_internal.h"

typedef struct gemm_job {
    const hpc_gemm_arch* arch;
    const hpc_gemm_small_kernels* small;
    hpc_transpose ta, tb;
    int64_t m, n, k;
    float alpha, beta;
    const float* a;
    const float* b;
    float* c;
    int64_t lda, ldb, ldc;
    const hpc_gemm_epi* epi;
    int split_n;         /* partition columns (1) or rows (0) */
    int b_in_place;      /* op(B) = B read directly by the kernel (full panels), not packed */
    int a_in_place;      /* op(A) = A read directly by kernel_a (full row panels), not packed */
    int64_t chunk;       /* columns / rows per task, a multiple of nr / mr */
    float* bufs[HPC_GEMM_MAX_THREADS][2];
} gemm_job;

static void gemm_block(const gemm_job* j, int64_t i0, int64_t i1, int64_t j0, int64_t j1, float* pa, float* pb) {
    const hpc_gemm_arch* ar = j->arch;
    const int64_t mr = ar->mr, nr = ar->nr;
    for (int64_t jc = j0; jc < j1; jc += ar->nc) {
        int64_t nb = j1 - jc < ar->nc ? j1 - jc : ar->nc;
        for (int64_t pc = 0; pc < j->k; pc += ar->kc) {
            int64_t kb = j->k - pc < ar->kc ? j->k - pc : ar->kc;
            float beta = pc == 0 ? j->beta : 1.0f;
            int last = pc + kb == j->k;
            int64_t nfull = nb / nr * nr; /* panels B-in-place can read without running past column n */
            if (!j->b_in_place) ar->pack_b(j->tb, j->b, j->ldb, pc, kb, jc, nb, pb);
            else if (nfull < nb) ar->pack_b(j->tb, j->b, j->ldb, pc, kb, jc + nfull, nb - nfull, pb);
            for (int64_t ic = i0; ic < i1; ic += ar->mc) {
                int64_t mb = i1 - ic < ar->mc ? i1 - ic : ar->mc;
                if (!j->a_in_place) ar->pack_a(j->ta, j->a, j->lda, ic, mb, pc, kb, pa);
                for (int64_t jr = 0; jr < nb; jr += nr) {
                    int64_t nrr = nb - jr < nr ? nb - jr : nr;
                    const float* pbp = pb + jr * kb;
                    int64_t ldb_k = 0;
                    if (j->b_in_place) {
                        pbp = jr < nfull ? j->b + pc * j->ldb + jc + jr : pb;
                        ldb_k = jr < nfull ? j->ldb : 0;
                    }
                    for (int64_t ir = 0; ir < mb; ir += mr) {
                        int64_t mrr = mb - ir < mr ? mb - ir : mr;
                        float* cp = j->c + (ic + ir) * j->ldc + jc + jr;
                        hpc_gemm_tile_epi te, *tep = NULL;
                        if (last && j->epi) {
                            te.bias_row = j->epi->bias_mode == HPC_BIAS_ROW ? j->epi->bias + ic + ir : NULL;
                            te.bias_col = j->epi->bias_mode == HPC_BIAS_COL ? j->epi->bias + jc + jr : NULL;
                            te.act = j->epi->act;
                            tep = &te;
                        }
                        if (j->a_in_place && mrr == mr) {
                            ar->kernel_a(kb, j->a + (ic + ir) * j->lda + pc, j->lda, pbp, j->alpha, beta, cp, j->ldc,
                                         nrr, tep);
                        } else {
                            if (j->a_in_place) ar->pack_a(j->ta, j->a, j->lda, ic + ir, mrr, pc, kb, pa + ir * kb);
                            ar->kernel(kb, pa + ir * kb, pbp, ldb_k, j->alpha, beta, cp, j->ldc, mrr, nrr, tep);
                        }
                    }
                }
            }
        }
    }
}

static void gemm_task(void* arg, int64_t t, int32_t worker) {
    const gemm_job* j = (const gemm_job*)arg;
    int64_t lo = t * j->chunk, hi;
    if (j->split_n) {
        hi = lo + j->chunk < j->n ? lo + j->chunk : j->n;
        gemm_block(j, 0, j->m, lo, hi, j->bufs[worker][0], j->bufs[worker][1]);
    } else {
        hi = lo + j->chunk < j->m ? lo + j->chunk : j->m;
        gemm_block(j, lo, hi, 0, j->n, j->bufs[worker][0], j->bufs[worker][1]);
    }
}

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* Small-matrix path, threads splitting the columns (multiples of 64, so no result depends on it). */
static void sup_task(void* arg, int64_t t, int32_t worker) {
    const gemm_job* j = (const gemm_job*)arg;
    int64_t lo = t * j->chunk, hi = lo + j->chunk < j->n ? lo + j->chunk : j->n;
    j->small->run(j->ta, j->tb, j->m, hi - lo, j->k, j->alpha, j->a, j->lda, j->tb ? j->b + lo * j->ldb : j->b + lo,
                 j->ldb, j->beta, j->c + lo, j->ldc, j->epi, 0, lo);
}

/* One more thread per ~1.8 MFLOP: a wake-up plus duplicated packing costs a few microseconds,
 * about what 96^3 takes on one core. An estimate, not yet a measurement: the 2-core machine was
 * shared with other builds while this was written (see bench/native/GEMM_RESULTS.md). */
#define HPC_GEMM_FLOPS_PER_THREAD (2.0 * 96 * 96 * 96)

int32_t hpc_gemm_threads_for(const hpc_ctx* ctx, int64_t m, int64_t n, int64_t k) {
    double flops = 2.0 * (double)m * (double)n * (double)k;
    int64_t t = (int64_t)(flops / HPC_GEMM_FLOPS_PER_THREAD);
    if (t < 1) t = 1;
    if (t > ctx->threads) t = ctx->threads;
    if (t > HPC_GEMM_MAX_THREADS) t = HPC_GEMM_MAX_THREADS;
    return (int32_t)t;
}

/* The small path reads every element of B once per call for a handful of FLOPs, so a large B
 * makes it a stream from L3 (784 KB, the first layer of the MLP: 12 us at the 66 GB/s one core
 * reads from L3 here, measured). Split across cores, each core's slice of B fits its own L2 and
 * stays there between calls: one more thread per HPC_SUP_BYTES_PER_THREAD of B, whatever the
 * FLOP count says. */
#define HPC_SUP_BYTES_PER_THREAD (64 * 1024)

int32_t hpc_sup_threads_for(const hpc_ctx* ctx, int64_t m, int64_t n, int64_t k) {
    int32_t t = hpc_gemm_threads_for(ctx, m, n, k);
    int64_t by_bytes = n * k * (int64_t)sizeof(float) / HPC_SUP_BYTES_PER_THREAD;
    if (by_bytes > ctx->threads) by_bytes = ctx->threads;
    if (by_bytes > HPC_GEMM_MAX_THREADS) by_bytes = HPC_GEMM_MAX_THREADS;
    return by_bytes > t ? (int32_t)by_bytes : t;
}

/* Whether kernels should read op(B) = B in place rather than a packed copy. Packing copies all of
 * B once per call; it pays only when many row panels of C reuse it, or when B's row stride is a
 * multiple of 512 bytes: then a panel's kc rows fall into a few L1 sets and evict each other.
 * Measured (1 thread, CPU time, GFLOP/s in place vs packed): 12x512x512 64 vs 41, 32x784x256 66 vs
 * 52, 128x256x784 74-84 vs 67, 1000^3 81-88 vs 76-78, 64x1024x1024 55-58 vs 54-55,
 * 128x1024x1024 58 vs 64, 2048^3 54 vs 72-81. */
static int b_in_place_pays(hpc_transpose tb, int64_t m, int64_t ldb) {
    if (tb) return 0;
    return m <= 64 || ldb % 128 != 0;
}

hpc_status hpc_gemm_run(hpc_ctx* ctx, const hpc_gemm_arch* arch, hpc_transpose ta, hpc_transpose tb, int64_t m,
                        int64_t n, int64_t k, float alpha, const float* a, int64_t lda, const float* b, int64_t ldb,
                        float beta, float* c, int64_t ldc, const hpc_gemm_epi* epi) {
    /* Field by field: an initializer would also zero bufs (1 KB), a fifth of a tiny call's time. */
    gemm_job j;
    j.arch = arch, j.ta = ta, j.tb = tb, j.m = m, j.n = n, j.k = k, j.alpha = alpha, j.beta = beta;
    j.a = a, j.b = b, j.c = c, j.lda = lda, j.ldb = ldb, j.ldc = ldc, j.epi = epi;
    j.split_n = 0, j.b_in_place = 0, j.a_in_place = 0, j.chunk = 0;
    j.small = ctx->kernels->gemm_small;
    if (j.small && j.small->fits(ta, tb, m, n, k)) {
        int32_t nt = hpc_pool_current_worker() >= 0 ? 1 : hpc_sup_threads_for(ctx, m, n, k);
        j.chunk = ceil_div(ceil_div(n, nt), 64) * 64;
        /* Pinned: each core streams the same slice of B every call, which then stays in its L2. */
        return hpc_parallel_for_pinned(ctx, ceil_div(n, j.chunk), nt, sup_task, &j);
    }
    /* Called from inside another kernel's parallel task: run serially on that worker's buffers. */
    int32_t nested = hpc_pool_current_worker();
    int32_t nt = nested >= 0 ? 1 : hpc_gemm_threads_for(ctx, m, n, k);
    j.b_in_place = b_in_place_pays(tb, m, ldb);
    /* One column panel: a packed A block would be read once, so the copy is pure overhead
     * (128x10x256: packing A was 46% of the time). */
    j.a_in_place = arch->kernel_a && !ta && n <= arch->nr;
    if (j.a_in_place) j.b_in_place = 0;
    int64_t npan = ceil_div(n, arch->nr), mpan = ceil_div(m, arch->mr);
    /* Columns split first: each thread then packs only its own slice of B (the big operand in
     * a layer's forward pass) and all of A. Rows when there are too few column panels to share. */
    j.split_n = npan >= 2 * nt || npan >= mpan;
    /* With several threads, ~3 tasks per thread: a worker the OS delays (2 cores shared with
     * other processes) then costs a third of its share, not all of it; each task re-packs its
     * A (or B) block, so tasks keep at least 4 column (8 row) panels. */
    int64_t per = nt > 1 ? (int64_t)nt * 3 : 1, ntasks;
    if (j.split_n) {
        int64_t pc = ceil_div(npan, per);
        if (nt > 1 && pc < 4) pc = 4 < ceil_div(npan, nt) ? 4 : ceil_div(npan, nt);
        j.chunk = pc * arch->nr;
        ntasks = ceil_div(n, j.chunk);
    } else {
        int64_t pc = ceil_div(mpan, per);
        if (nt > 1 && pc < 8) pc = 8 < ceil_div(mpan, nt) ? 8 : ceil_div(mpan, nt);
        j.chunk = pc * arch->mr;
        ntasks = ceil_div(m, j.chunk);
    }
    if (ntasks < nt) nt = (int32_t)ntasks;
    int64_t mcap = j.split_n ? m : j.chunk, ncap = j.split_n ? j.chunk : n;
    int64_t kb = k < arch->kc ? k : arch->kc;
    int64_t mb = ceil_div(mcap < arch->mc ? mcap : arch->mc, arch->mr) * arch->mr;
    int64_t nb = ceil_div(ncap < arch->nc ? ncap : arch->nc, arch->nr) * arch->nr;
    size_t abytes = ((size_t)(mb * kb) * sizeof(float) + 63) / 64 * 64;
    size_t bbytes = (size_t)(nb * kb) * sizeof(float);
    for (int32_t w = 0; w < nt; w++) {
        float* s = (float*)hpc_pool_scratch(ctx, nested >= 0 ? nested : w, abytes + bbytes);
        if (!s) return hpc_fail(ctx, HPC_STATUS_OUT_OF_MEMORY, "hpc_sgemm: cannot allocate %zu bytes of pack buffers",
                                abytes + bbytes);
        j.bufs[w][0] = s;
        j.bufs[w][1] = (float*)((char*)s + abytes);
    }
    return hpc_parallel_for(ctx, ntasks, nt, gemm_task, &j);
}
