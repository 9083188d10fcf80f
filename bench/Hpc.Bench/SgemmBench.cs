using BenchmarkDotNet.Attributes;
using Hpc.Interop;
using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>
/// hpc_sgemm per ISA path (OpenBLAS side by side) and thread count on issue 3's shapes.
/// C = A * B with beta = 0, as a layer's forward issues it. Scalar is skipped above 512
/// (BenchConfig's filter): at about 1-3 GFLOP/s a 2048 cube takes seconds per call and says
/// nothing new about the reference path.
/// </summary>
public unsafe class SgemmBench
{
    [ParamsSource(nameof(IsaValues))] public Isa Isa;
    [Params(1, 2)] public int Threads;
    [ParamsSource(nameof(ShapeValues))] public GemmShape Shape = null!;

    public static IEnumerable<Isa> IsaValues() => Paths.Gemm();
    public static IEnumerable<GemmShape> ShapeValues() =>
        BenchConfig.Quick ? GemmShape.All.Where(s => Math.Max(s.M, Math.Max(s.N, s.K)) <= 128) : GemmShape.All;

    private Context _ctx = null!;
    private hpc_ctx* _raw;
    private NativeBuffer _a = null!, _b = null!, _c = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ctx = new Context(Isa, Threads);
        _raw = Paths.Raw(_ctx);
        _a = new NativeBuffer((long)Shape.M * Shape.K, 1);
        _b = new NativeBuffer((long)Shape.K * Shape.N, 2);
        _c = new NativeBuffer((long)Shape.M * Shape.N, 3);
    }

    [Benchmark]
    public void Sgemm()
    {
        var s = Shape;
        var status = Native.hpc_sgemm(_raw, s.OpA, s.OpB, s.M, s.N, s.K, 1f, _a.Ptr, s.Lda, _b.Ptr, s.Ldb, 0f, _c.Ptr, s.Ldc);
        if (status != hpc_status.HPC_STATUS_OK) Paths.Check(status, _ctx);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _ctx.Dispose();
    }
}
