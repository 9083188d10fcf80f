using Hpc.Interop;
using Xunit;

namespace Hpc.Tests.Interop;

public unsafe class SgemmBindingTests
{
    public static TheoryData<hpc_isa> Paths() => new()
    {
        hpc_isa.HPC_ISA_SCALAR, hpc_isa.HPC_ISA_AVX2, hpc_isa.HPC_ISA_AVX512, hpc_isa.HPC_ISA_OPENBLAS,
    };

    // Checks the argument order and types of the generated signature end to end: a swapped ld,
    // transpose or scalar would change the result.
    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void SmallSgemmMatchesATripleLoop(hpc_isa isa)
    {
        using var ctx = ContextHandle.Create();
        int supported;
        Status.Check(Native.hpc_isa_supported(isa, &supported));
        Skip.If(supported == 0, $"{isa} is not available on this machine");
        Status.Check(Native.hpc_ctx_set_isa(ctx.Pointer, isa), ctx);

        const int m = 7, n = 9, k = 5, lda = m + 3, ldb = n + 1, ldc = n + 2; // A stored transposed: k x m
        const float alpha = 1.5f, beta = -0.5f;
        var rng = new Random(1234);
        float Next() => (float)(rng.NextDouble() * 2 - 1);
        var a = Enumerable.Range(0, k * lda).Select(_ => Next()).ToArray();
        var b = Enumerable.Range(0, k * ldb).Select(_ => Next()).ToArray();
        var c = Enumerable.Range(0, m * ldc).Select(_ => Next()).ToArray();
        var expected = (float[])c.Clone();
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++) sum += (double)a[p * lda + i] * b[p * ldb + j];
                expected[i * ldc + j] = (float)(alpha * sum + beta * c[i * ldc + j]);
            }

        fixed (float* pa = a, pb = b, pc = c)
            Status.Check(Native.hpc_sgemm(ctx.Pointer, hpc_transpose.HPC_TRANS, hpc_transpose.HPC_NO_TRANS,
                m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc), ctx);

        for (var i = 0; i < m; i++)
            for (var j = 0; j < ldc; j++)
            {
                var idx = i * ldc + j;
                Assert.True(Math.Abs(expected[idx] - c[idx]) <= 1e-5f * (1 + Math.Abs(expected[idx])),
                    $"{isa}: C[{i},{j}] = {c[idx]}, expected {expected[idx]}");
            }
    }
}
