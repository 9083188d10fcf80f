using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Max pooling: each output is the largest input of its window (padding never wins); the forward
/// records where it was, and the backward routes each gradient to that position only.
/// </summary>
public sealed unsafe class MaxPool2d : Pool2d
{
    private int[] _argmax = [];

    /// <summary>A square window; the stride defaults to the window.</summary>
    public MaxPool2d(int window, int? stride = null, int padding = 0, Context? ctx = null)
        : base((window, window), stride is { } s ? (s, s) : null, (padding, padding), ctx) { }

    public MaxPool2d((int H, int W) window, (int H, int W)? stride, (int H, int W) padding, Context? ctx = null)
        : base(window, stride, padding, ctx) { }

    public override Tensor Forward(Tensor x, bool training)
    {
        var y = PrepareForward(x);
        // Grown, never shrunk: the largest batch seen sets the size once.
        if (_argmax.Length < y.Length) _argmax = new int[y.Length];
        var desc = Desc;
        fixed (int* argmax = _argmax)
            Context.Check(Native.hpc_maxpool2d_forward(Context.Ptr, &desc, x.Data, y.Data, argmax));
        return y;
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient)
    {
        var dx = PrepareBackward(dy);
        if (!computeInputGradient) return null;
        var desc = Desc;
        fixed (int* argmax = _argmax)
            Context.Check(Native.hpc_maxpool2d_backward(Context.Ptr, &desc, dy.Data, argmax, dx.Data));
        return dx;
    }
}
