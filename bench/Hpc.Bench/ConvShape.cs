using Hpc.Interop;

namespace Hpc.Bench;

/// <summary>One stride-1 square convolution of issue 5's benchmark list (the same shapes
/// bench/peers/dnnl_conv.c times in oneDNN).</summary>
public sealed class ConvShape(string name, int n, int c, int hw, int k, int r, int pad)
    : IFlopCount, IComparable<ConvShape>, IComparable
{
    private static int s_next;
    private readonly int _order = Interlocked.Increment(ref s_next);

    public string Name { get; } = name;
    public int N { get; } = n;
    public int C { get; } = c;
    public int HW { get; } = hw;
    public int K { get; } = k;
    public int R { get; } = r;
    public int Pad { get; } = pad;
    public int Out => HW + 2 * Pad - R + 1;

    /// <summary>2 N K C R S OH OW: the multiply-adds of the direct definition; the same count is
    /// used for every direction and for oneDNN, so the GFLOP/s compare like for like.</summary>
    public double Flops => 2.0 * N * K * C * R * R * Out * Out;

    public hpc_conv2d_desc Desc => new()
    {
        n = N, c = C, h = HW, w = HW, k = K, r = R, s = R,
        stride_h = 1, stride_w = 1, pad_h = Pad, pad_w = Pad, dilation_h = 1, dilation_w = 1,
    };

    public static IReadOnlyList<ConvShape> All { get; } =
    [
        new("lenet1", 64, 1, 28, 32, 5, 2),
        new("lenet2", 64, 32, 14, 64, 5, 2),
        new("conv3x3", 64, 64, 32, 64, 3, 1),
    ];

    public override string ToString() => $"{Name} N{N} C{C} {HW}x{HW} K{K} {R}x{R} p{Pad}";

    public int CompareTo(ConvShape? o) => o is null ? 1 : _order.CompareTo(o._order);
    public int CompareTo(object? obj) => CompareTo(obj as ConvShape);
}
