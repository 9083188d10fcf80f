using Hpc.Interop;
using Xunit;

namespace Hpc.Tests.Interop;

public unsafe class StatusTests
{
    [Fact]
    public void OkDoesNotThrowEvenWithAStaleMessage()
    {
        using var ctx = ContextHandle.Create();
        // A failed call leaves its message on the context; a later OK must not resurrect it.
        Assert.Equal(hpc_status.HPC_STATUS_INVALID_ARGUMENT, Native.hpc_ctx_set_threads(ctx.Pointer, -5));
        Assert.Null(Record.Exception(() => Status.Check(hpc_status.HPC_STATUS_OK, ctx)));
        Assert.Null(Record.Exception(() => Status.Check(hpc_status.HPC_STATUS_OK, null)));
        Assert.Throws<HpcInvalidArgumentException>(() => Status.Check(hpc_status.HPC_STATUS_INVALID_ARGUMENT, ctx));
    }

    [Fact]
    public void NegativeSgemmSizeIsInvalidArgumentNamingTheArgument()
    {
        using var ctx = ContextHandle.Create();
        var a = new float[4];
        var b = new float[4];
        var c = new float[4];
        hpc_status st;
        fixed (float* pa = a, pb = b, pc = c)
            st = Native.hpc_sgemm(ctx.Pointer, hpc_transpose.HPC_NO_TRANS, hpc_transpose.HPC_NO_TRANS,
                -1, 2, 2, 1f, pa, 2, pb, 2, 0f, pc, 2);
        var e = Assert.Throws<HpcInvalidArgumentException>(() => Status.Check(st, ctx));
        Assert.Equal(hpc_status.HPC_STATUS_INVALID_ARGUMENT, e.Status);
        Assert.Contains("hpc_sgemm", e.Message);
        Assert.Contains("m = -1", e.Message);
    }

    [Fact]
    public void WithoutAContextTheThreadMessageIsUsed()
    {
        var st = Native.hpc_ctx_set_threads(null, 2);
        var e = Assert.Throws<HpcInvalidArgumentException>(() => Status.Check(st, null));
        Assert.Contains("ctx is null", e.Message);
    }

    [Fact]
    public void ADisposedContextFallsBackToTheThreadMessage()
    {
        var ctx = ContextHandle.Create();
        ctx.Dispose();
        var st = Native.hpc_ctx_get_threads(null, null);
        var e = Assert.Throws<HpcInvalidArgumentException>(() => Status.Check(st, ctx));
        Assert.Contains("hpc_ctx_get_threads", e.Message);
    }

    [Theory]
    [InlineData(hpc_status.HPC_STATUS_INVALID_ARGUMENT, typeof(HpcInvalidArgumentException))]
    [InlineData(hpc_status.HPC_STATUS_OUT_OF_MEMORY, typeof(HpcOutOfMemoryException))]
    [InlineData(hpc_status.HPC_STATUS_UNSUPPORTED, typeof(HpcUnsupportedException))]
    [InlineData(hpc_status.HPC_STATUS_NUMERICAL_ERROR, typeof(HpcNumericalException))]
    [InlineData(hpc_status.HPC_STATUS_INTERNAL_ERROR, typeof(HpcInternalException))]
    public void EachStatusMapsToItsException(hpc_status status, Type expected)
    {
        using var ctx = ContextHandle.Create();
        // Leaves a known message on the context, which Check must carry.
        Native.hpc_ctx_set_threads(ctx.Pointer, -5);
        var e = Assert.ThrowsAny<HpcException>(() => Status.Check(status, ctx));
        Assert.IsType(expected, e);
        Assert.Equal(status, e.Status);
        Assert.Contains("threads = -5", e.Message);
    }

    [Fact]
    public void EveryDeclaredFailureStatusHasItsOwnExceptionType()
    {
        var failures = Enum.GetValues<hpc_status>().Where(s => s != hpc_status.HPC_STATUS_OK).ToList();
        var types = failures.Select(s => Status.ToException(s, "m").GetType()).ToList();
        Assert.DoesNotContain(typeof(HpcException), types);
        Assert.Equal(types.Count, types.Distinct().Count());
    }

    [Fact]
    public void UnknownStatusNamesTheNumber()
    {
        var e = Assert.ThrowsAny<HpcException>(() => Status.Check((hpc_status)42, null));
        Assert.IsType<HpcException>(e);
        Assert.Equal((hpc_status)42, e.Status);
        Assert.Contains("42", e.Message);
    }
}
