using Hpc.Interop;
using Xunit;

namespace Hpc.Tests.Interop;

public unsafe class ContextHandleTests
{
    [Fact]
    public void CreateGivesAUsableContextAndDisposeClosesIt()
    {
        var ctx = ContextHandle.Create();
        Assert.False(ctx.IsInvalid);
        Assert.True(ctx.Pointer != null);
        int threads;
        Status.Check(Native.hpc_ctx_get_threads(ctx.Pointer, &threads), ctx);
        Assert.Equal(1, threads);

        ctx.Dispose();
        Assert.True(ctx.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => (IntPtr)ctx.Pointer);
        ctx.Dispose(); // idempotent
    }

    [Fact]
    public void ThreadsRoundTrip()
    {
        using var ctx = ContextHandle.Create();
        foreach (var n in new[] { 3, 1, 1024 })
        {
            Status.Check(Native.hpc_ctx_set_threads(ctx.Pointer, n), ctx);
            int got;
            Status.Check(Native.hpc_ctx_get_threads(ctx.Pointer, &got), ctx);
            Assert.Equal(n, got);
        }

        hpc_cpu_features f;
        Status.Check(Native.hpc_get_cpu_features(&f));
        Status.Check(Native.hpc_ctx_set_threads(ctx.Pointer, 0), ctx);
        int perCore;
        Status.Check(Native.hpc_ctx_get_threads(ctx.Pointer, &perCore), ctx);
        Assert.Equal(f.logical_cores, perCore);

        var e = Assert.Throws<HpcInvalidArgumentException>(() => Status.Check(Native.hpc_ctx_set_threads(ctx.Pointer, 1025), ctx));
        Assert.Contains("threads = 1025", e.Message);
    }

    // Every path either selects and reads back, or is refused with UNSUPPORTED naming it: which
    // branch runs depends on the CPU and build, and both assert.
    [Theory]
    [InlineData(hpc_isa.HPC_ISA_SCALAR)]
    [InlineData(hpc_isa.HPC_ISA_AVX2)]
    [InlineData(hpc_isa.HPC_ISA_AVX512)]
    [InlineData(hpc_isa.HPC_ISA_OPENBLAS)]
    public void IsaRoundTripsOrIsUnsupported(hpc_isa isa)
    {
        using var ctx = ContextHandle.Create();
        int supported;
        Status.Check(Native.hpc_isa_supported(isa, &supported));
        if (supported != 0)
        {
            Status.Check(Native.hpc_ctx_set_isa(ctx.Pointer, isa), ctx);
            hpc_isa got;
            Status.Check(Native.hpc_ctx_get_isa(ctx.Pointer, &got), ctx);
            Assert.Equal(isa, got);
        }
        else
        {
            var e = Assert.Throws<HpcUnsupportedException>(() => Status.Check(Native.hpc_ctx_set_isa(ctx.Pointer, isa), ctx));
            Assert.Equal(hpc_status.HPC_STATUS_UNSUPPORTED, e.Status);
            var name = System.Runtime.InteropServices.Marshal.PtrToStringUTF8((IntPtr)Native.hpc_isa_name(isa))!;
            Assert.Contains($"'{name}'", e.Message);
        }
    }

    [Fact]
    public void AutoResolvesToTheBestSupportedNativePath()
    {
        using var ctx = ContextHandle.Create();
        Status.Check(Native.hpc_ctx_set_isa(ctx.Pointer, hpc_isa.HPC_ISA_AUTO), ctx);
        hpc_isa got;
        Status.Check(Native.hpc_ctx_get_isa(ctx.Pointer, &got), ctx);
        int avx2, avx512;
        Status.Check(Native.hpc_isa_supported(hpc_isa.HPC_ISA_AVX2, &avx2));
        Status.Check(Native.hpc_isa_supported(hpc_isa.HPC_ISA_AVX512, &avx512));
        var best = avx512 != 0 ? hpc_isa.HPC_ISA_AVX512 : avx2 != 0 ? hpc_isa.HPC_ISA_AVX2 : hpc_isa.HPC_ISA_SCALAR;
        Assert.Equal(best, got);
    }
}
