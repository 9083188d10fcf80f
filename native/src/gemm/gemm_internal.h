#ifndef HPC_GEMM_INTERNAL_H
#define HPC_GEMM_INTERNAL_H
#include "hpcnn.h"
#include <stdint.h>

struct hpc_ctx;

/* Checks hpc_sgemm's arguments; messages start with fn. */
hpc_status hpc_sgemm_validate(hpc_ctx* ctx, const char* fn, hpc_transpose trans_a, hpc_transpose trans_b, int64_t m, int64_t n,
                              int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
                              int64_t ldc);
void hpc_scale_c(int64_t m, int64_t n, float beta, float* c, int64_t ldc);

/* The reference: plain loops, accumulating in float in k order. */
void hpc_sgemm_scalar(hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n, int64_t k, float alpha,
                      const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

/* ---- fused epilogue: C = act(alpha*op(A)op(B) + beta*C + bias) ---- */

/* The whole-call epilogue (bias indexed by global row or column of C). */
typedef struct hpc_gemm_epi {
    const float* bias;
    hpc_bias_mode bias_mode;
    hpc_activation act;
} hpc_gemm_epi;

/* What one micro-tile sees: bias already offset to the tile's first row / column. At most one of
 * bias_row / bias_col is non-null; they hold mr / nr valid values (kernels must not read more). */
typedef struct hpc_gemm_tile_epi {
    const float* bias_row;
    const float* bias_col;
    hpc_activation act;
} hpc_gemm_tile_epi;

/* Scalar epilogue on an m x n block of C: the reference, and the path for k = 0 / alpha = 0. */
void hpc_gemm_epi_apply_scalar(const hpc_gemm_epi* epi, int64_t row0, int64_t col0, int64_t m, int64_t n, float* c,
                               int64_t ldc);

/* ---- packed (BLIS-style) path ---- */

/* Micro-kernel: C[0:mr, 0:nr] = alpha * (pa . pb) + beta * C (beta = 0: C is not read), then the
 * tile epilogue when epi is non-null. pa is kc x MR (k-major, zero-padded rows, 64-byte aligned).
 * ldb = 0: pb is a packed kc x NR panel (zero-padded columns, 64-byte aligned); ldb > 0: pb points
 * into op(B) = B itself, NR valid floats per row, rows ldb apart (full panels only). */
typedef void (*hpc_gemm_ukernel)(int64_t kc, const float* pa, const float* pb, int64_t ldb, float alpha, float beta,
                                 float* c, int64_t ldc, int64_t mr, int64_t nr, const hpc_gemm_tile_epi* epi);

/* Micro-kernel variant reading op(A) = A in place: MR full rows at a (lda apart, contiguous k),
 * packed B panel; otherwise as hpc_gemm_ukernel with mr = MR. */
typedef void (*hpc_gemm_ukernel_a)(int64_t kc, const float* a, int64_t lda, const float* pb, float alpha, float beta,
                                   float* c, int64_t ldc, int64_t nr, const hpc_gemm_tile_epi* epi);

/* Small/skinny path working on the unpacked operands (no packing, no workspace). */
typedef void (*hpc_gemm_sup_fn)(hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n, int64_t k, float alpha,
                                const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
                                int64_t ldc, const hpc_gemm_epi* epi, int64_t row0, int64_t col0);

/* Packers (gemm_pack.h, instantiated per kernel): op(A)[i0:i0+mb, p0:p0+kb] into MR-row panels,
 * op(B)[p0:p0+kb, j0:j0+nb] into NR-column panels, k-major, zero-padded to whole panels. */
typedef void (*hpc_gemm_pack_a_fn)(hpc_transpose ta, const float* a, int64_t lda, int64_t i0, int64_t mb, int64_t p0,
                                   int64_t kb, float* dst);
typedef void (*hpc_gemm_pack_b_fn)(hpc_transpose tb, const float* b, int64_t ldb, int64_t p0, int64_t kb, int64_t j0,
                                   int64_t nb, float* dst);

typedef struct hpc_gemm_arch {
    const char* name;
    int32_t mr, nr;          /* register tile */
    int64_t mc, kc, nc;      /* cache blocks: mc % mr == 0, nc % nr == 0 */
    hpc_gemm_ukernel kernel;
    hpc_gemm_ukernel_a kernel_a; /* null: A always packed */
    hpc_gemm_pack_a_fn pack_a;
    hpc_gemm_pack_b_fn pack_b;
} hpc_gemm_arch;

/* The whole product in one call (the plain loops, OpenBLAS): validated, non-empty arguments with
 * k > 0 and alpha != 0; the caller applies the epilogue. */
typedef hpc_status (*hpc_gemm_whole_fn)(struct hpc_ctx* ctx, hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n,
                                        int64_t k, float alpha, const float* a, int64_t lda, const float* b,
                                        int64_t ldb, float beta, float* c, int64_t ldc);

/* The family's slot in the kernel table: a packed (BLIS-style) path, or a whole-product one. */
typedef struct hpc_gemm_kernels {
    const hpc_gemm_arch* (*packed)(void); /* tiles, blocks and kernels, set up on first use; null: whole */
    hpc_gemm_whole_fn whole;
    int tiny_first; /* products of at most HPC_GEMM_TINY multiply-adds run the plain loops first */
} hpc_gemm_kernels;
extern const hpc_gemm_kernels hpc_gemm_kernels_scalar, hpc_gemm_kernels_avx2, hpc_gemm_kernels_avx512,
    hpc_gemm_kernels_openblas;

/* The small-matrix slot: a path on the unpacked operands, and the shapes where it beats packing. */
typedef struct hpc_gemm_small_kernels {
    hpc_gemm_sup_fn run;
    int (*fits)(hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n, int64_t k);
} hpc_gemm_small_kernels;
extern const hpc_gemm_small_kernels hpc_gemm_small_kernels_avx2;

/* Chooses MC/KC/NC for a register tile from the CPU's cache sizes. */
void hpc_gemm_blocking(int32_t mr, int32_t nr, int64_t* mc, int64_t* kc, int64_t* nc);

#define HPC_GEMM_MAX_THREADS 64



/* Highest hpc_activation value the header declares; values above are INVALID_ARGUMENT, known
 * values the kernels do not fuse are UNSUPPORTED. */
#define HPC_GEMM_ACT_MAX_KNOWN HPC_ACT_SOFTPLUS

/* Threads worth using for an m x n x k product on ctx (1 when the call is too small to share). */
int32_t hpc_gemm_threads_for(const struct hpc_ctx* ctx, int64_t m, int64_t n, int64_t k);
/* Threads for the small-matrix path: as above, or more when B is too big for one core's L2. */
int32_t hpc_sup_threads_for(const struct hpc_ctx* ctx, int64_t m, int64_t n, int64_t k);

/* The driver: validated, non-empty arguments (m, n, k > 0, alpha != 0). epi may be null. */
hpc_status hpc_gemm_run(struct hpc_ctx* ctx, const hpc_gemm_arch* arch, hpc_transpose ta, hpc_transpose tb, int64_t m,
                        int64_t n, int64_t k, float alpha, const float* a, int64_t lda, const float* b, int64_t ldb,
                        float beta, float* c, int64_t ldc, const hpc_gemm_epi* epi);
#endif
