using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// An element-wise layer over any native <see cref="hpc_activation"/> (with its parameter, e.g. a
/// leaky slope): the base of the activations beyond <see cref="ActivationKind"/>'s, forward by
/// hpc_bias_act_forward, backward by hpc_act_backward.
/// </summary>
public abstract unsafe class NativeActivation : Module
{
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _dx;

    private protected NativeActivation(hpc_activation kind, float param, Context? ctx) : base(ctx)
    {
        NativeKind = kind;
        Param = param;
    }

    internal hpc_activation NativeKind { get; }

    /// <summary>The activation's parameter (0 for those without one).</summary>
    protected float Param { get; }

    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Tensor.Ensure(ref _output, x.Rows, x.Cols);
        var c = Context;
        c.Check(Native.hpc_bias_act_forward(c.Ptr, NativeKind, Param, x.Rows, x.Cols, x.Data, null, y.Data));
        _input = x;
        return y;
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient)
    {
        CheckForwardDone(_input);
        ArgumentNullException.ThrowIfNull(dy);
        if (!computeInputGradient) return null;
        var y = _output!;
        CheckGradientMatchesOutput(dy, y);
        var dx = Tensor.Ensure(ref _dx, y.Rows, y.Cols);
        var c = Context;
        c.Check(Native.hpc_act_backward(c.Ptr, NativeKind, Param, y.Length, _input!.Data, y.Data, dy.Data, dx.Data));
        return dx;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _output?.Dispose();
        _dx?.Dispose();
        _input = null;
    }
}
