using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Row-wise softmax as a layer, y_j = e^{z_j} / sum_k e^{z_k} (stable), with its Jacobian-vector
/// backward dx = y (dy - sum_j dy_j y_j). For classification prefer logits +
/// <see cref="CrossEntropyLoss"/>, whose fused gradient is simply y - t.
/// </summary>
public sealed unsafe class Softmax(Context? ctx = null) : Module(ctx)
{
    private Tensor? _output;
    private Tensor? _dx;

    internal override string SpecLine => "softmax";

    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Tensor.Ensure(ref _output, x.Rows, x.Cols);
        var c = Context;
        c.Check(Native.hpc_softmax_forward(c.Ptr, x.Rows, x.Cols, x.Data, y.Data));
        return y;
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient)
    {
        CheckForwardDone(_output);
        ArgumentNullException.ThrowIfNull(dy);
        if (!computeInputGradient) return null;
        var y = _output!;
        CheckGradientMatchesOutput(dy, y);
        var dx = Tensor.Ensure(ref _dx, y.Rows, y.Cols);
        var c = Context;
        c.Check(Native.hpc_softmax_backward(c.Ptr, y.Rows, y.Cols, y.Data, dy.Data, dx.Data));
        return dx;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _output?.Dispose();
        _dx?.Dispose();
    }
}
