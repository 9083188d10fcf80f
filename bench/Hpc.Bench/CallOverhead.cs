using BenchmarkDotNet.Attributes;
using Hpc.Interop;
using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>
/// What a tiny call costs from C#: a 1x1x1 hpc_sgemm through the generated bindings (issue 3
/// target: under 100 ns), next to hpc_version (a P/Invoke that does nothing) as the floor.
/// Default path (AUTO), one thread.
/// </summary>
public unsafe class CallOverhead
{
    private Context _ctx = null!;
    private hpc_ctx* _raw;
    private NativeBuffer _a = null!, _b = null!, _c = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ctx = new Context();
        _raw = Paths.Raw(_ctx);
        _a = new NativeBuffer(1, 1);
        _b = new NativeBuffer(1, 2);
        _c = new NativeBuffer(1, 3);
    }

    [Benchmark(Baseline = true)]
    public int EmptyPInvoke() => Native.hpc_version();

    [Benchmark]
    public hpc_status Sgemm1x1x1() =>
        Native.hpc_sgemm(_raw, hpc_transpose.HPC_NO_TRANS, hpc_transpose.HPC_NO_TRANS, 1, 1, 1, 1f, _a.Ptr, 1, _b.Ptr, 1, 0f, _c.Ptr, 1);

    [Benchmark]
    public hpc_status Sgemm1x1x1Transposed() =>
        Native.hpc_sgemm(_raw, hpc_transpose.HPC_TRANS, hpc_transpose.HPC_TRANS, 1, 1, 1, 1f, _a.Ptr, 1, _b.Ptr, 1, 0f, _c.Ptr, 1);

    [GlobalCleanup]
    public void Cleanup()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _ctx.Dispose();
    }
}
