using BenchmarkDotNet.Attributes;
using Hpc.Interop;
using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>
/// hpc_conv2d forward (with bias), backward-data and backward-weights (with the bias gradient)
/// per ISA path and thread count, on issue 5's shapes, with the full workspace the library asks
/// for (hpc_conv2d_workspace_size), allocated once outside the timed call.
/// </summary>
public unsafe class ConvBench
{
    [ParamsSource(nameof(IsaValues))] public Isa Isa;
    [Params(1, 2)] public int Threads;
    [ParamsSource(nameof(ShapeValues))] public ConvShape Shape = null!;

    public static IEnumerable<Isa> IsaValues() => Paths.Kernels();
    public static IEnumerable<ConvShape> ShapeValues() => BenchConfig.Quick ? ConvShape.All.Take(1) : ConvShape.All;

    private Context _ctx = null!;
    private hpc_ctx* _raw;
    private hpc_conv2d_desc _desc;
    private NativeBuffer _x = null!, _w = null!, _bias = null!, _y = null!, _dx = null!, _dw = null!, _db = null!, _ws = null!;
    private long _wsBytes;

    [GlobalSetup]
    public void Setup()
    {
        _ctx = new Context(Isa, Threads);
        _raw = Paths.Raw(_ctx);
        _desc = Shape.Desc;
        var s = Shape;
        long xs = (long)s.N * s.C * s.HW * s.HW, ws = (long)s.K * s.C * s.R * s.R, ys = (long)s.N * s.K * s.Out * s.Out;
        _x = new NativeBuffer(xs, 1);
        _w = new NativeBuffer(ws, 2);
        _bias = new NativeBuffer(s.K, 3);
        _y = new NativeBuffer(ys, 4);
        _dx = new NativeBuffer(xs, 5);
        _dw = new NativeBuffer(ws, 6);
        _db = new NativeBuffer(s.K, 7);
        long bytes;
        fixed (hpc_conv2d_desc* d = &_desc) Paths.Check(Native.hpc_conv2d_workspace_size(_raw, d, &bytes), _ctx);
        _wsBytes = bytes;
        _ws = new NativeBuffer((bytes + 3) / 4, 8);
    }

    [Benchmark]
    public void Forward()
    {
        fixed (hpc_conv2d_desc* d = &_desc)
            Paths.Check(Native.hpc_conv2d_forward(_raw, d, _x.Ptr, _w.Ptr, _bias.Ptr, hpc_activation.HPC_ACT_IDENTITY,
                _y.Ptr, _wsBytes == 0 ? null : _ws.Ptr, _wsBytes), _ctx);
    }

    [Benchmark]
    public void BackwardData()
    {
        fixed (hpc_conv2d_desc* d = &_desc)
            Paths.Check(Native.hpc_conv2d_backward_data(_raw, d, _y.Ptr, _w.Ptr, _dx.Ptr,
                _wsBytes == 0 ? null : _ws.Ptr, _wsBytes), _ctx);
    }

    [Benchmark]
    public void BackwardWeights()
    {
        fixed (hpc_conv2d_desc* d = &_desc)
            Paths.Check(Native.hpc_conv2d_backward_weights(_raw, d, _x.Ptr, _y.Ptr, _dw.Ptr, _db.Ptr,
                _wsBytes == 0 ? null : _ws.Ptr, _wsBytes), _ctx);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var b in new[] { _x, _w, _bias, _y, _dx, _dw, _db, _ws }) b.Dispose();
        _ctx.Dispose();
    }
}
