#ifndef HPC_GEMM_INTERNAL_H
#define HPC_GEMM_INTERNAL_H
#include "hpcnn.h"

hpc_status hpc_sgemm_validate(hpc_ctx* ctx, hpc_transpose trans_a, hpc_transpose trans_b, int64_t m, int64_t n,
                              int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
                              int64_t ldc);
void hpc_scale_c(int64_t m, int64_t n, float beta, float* c, int64_t ldc);

/* The reference: plain loops, accumulating in float in k order. */
void hpc_sgemm_scalar(hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n, int64_t k, float alpha,
                      const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);
void hpc_sgemm_openblas(hpc_transpose ta, hpc_transpose tb, int64_t m, int64_t n, int64_t k, float alpha,
                        const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);
#endif
