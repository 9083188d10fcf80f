using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Average pooling: each output is the mean of its window; with <see cref="CountIncludePad"/> the
/// padding counts as zeros (divide by the window area), otherwise only covered input pixels count.
/// </summary>
public sealed unsafe class AvgPool2d : Pool2d
{
    /// <summary>A square window; the stride defaults to the window.</summary>
    public AvgPool2d(int window, int? stride = null, int padding = 0, bool countIncludePad = true, Context? ctx = null)
        : base((window, window), stride is { } s ? (s, s) : null, (padding, padding), ctx) => CountIncludePad = countIncludePad;

    public AvgPool2d((int H, int W) window, (int H, int W)? stride, (int H, int W) padding, bool countIncludePad = true, Context? ctx = null)
        : base(window, stride, padding, ctx) => CountIncludePad = countIncludePad;

    /// <summary>Divide by the full window area (PyTorch's default) rather than the pixels covered.</summary>
    public bool CountIncludePad { get; }

    private protected override string ExtraName => Padding != (0, 0) && !CountIncludePad ? ", count_pad=false" : "";

    public override Tensor Forward(Tensor x, bool training)
    {
        var y = PrepareForward(x);
        var desc = Desc;
        Context.Check(Native.hpc_avgpool2d_forward(Context.Ptr, &desc, CountIncludePad ? 1 : 0, x.Data, y.Data));
        return y;
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient)
    {
        var dx = PrepareBackward(dy);
        if (!computeInputGradient) return null;
        var desc = Desc;
        Context.Check(Native.hpc_avgpool2d_backward(Context.Ptr, &desc, CountIncludePad ? 1 : 0, dy.Data, dx.Data));
        return dx;
    }
}
