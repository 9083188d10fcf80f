using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// The base of every element-wise activation layer without learnable parameters: forward by the
/// native hpc_bias_act_forward (no bias), backward by hpc_act_backward, for any native
/// <see cref="hpc_activation"/> with its parameter (e.g. a leaky slope). A new activation is a new
/// enum value in hpcnn.h and a one-line subclass.
/// </summary>
public abstract unsafe class Activation : Module
{
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _dx;

    private protected Activation(hpc_activation kind, float param, Context? ctx) : base(ctx)
    {
        NativeKind = kind;
        Param = param;
    }

    internal hpc_activation NativeKind { get; }

    /// <summary>The activation's parameter (0 for those without one).</summary>
    protected float Param { get; }

    /// <summary>The model-spec keyword: the class name in lower case (parameterised ones override it).</summary>
    internal override string SpecLine => GetType().Name.ToLowerInvariant();

    /// <summary>Creates the layer for <paramref name="kind"/> (the kinds a convolution can fuse).</summary>
    public static Activation Create(ActivationKind kind, Context? ctx = null) => kind switch
    {
        ActivationKind.Identity => new Identity(ctx),
        ActivationKind.ReLU => new ReLU(ctx),
        ActivationKind.Sigmoid => new Sigmoid(ctx),
        ActivationKind.Tanh => new Tanh(ctx),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation"),
    };

    /// <summary>Parses "identity|relu|sigmoid|tanh" (case-insensitive; "logistic" = sigmoid, "linear" = identity).</summary>
    public static ActivationKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "identity" or "linear" => ActivationKind.Identity,
        "relu" => ActivationKind.ReLU,
        "sigmoid" or "logistic" => ActivationKind.Sigmoid,
        "tanh" => ActivationKind.Tanh,
        _ => throw new ArgumentException($"unknown activation '{name}' (expected identity, relu, sigmoid or tanh)", nameof(name)),
    };

    internal static hpc_activation Native(ActivationKind kind) => kind switch
    {
        ActivationKind.Identity => hpc_activation.HPC_ACT_IDENTITY,
        ActivationKind.ReLU => hpc_activation.HPC_ACT_RELU,
        ActivationKind.Sigmoid => hpc_activation.HPC_ACT_SIGMOID,
        ActivationKind.Tanh => hpc_activation.HPC_ACT_TANH,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation"),
    };

    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Tensor.Ensure(ref _output, x.Rows, x.Cols);
        var c = Context;
        c.Check(Hpc.Interop.Native.hpc_bias_act_forward(c.Ptr, NativeKind, Param, x.Rows, x.Cols, x.Data, null, y.Data));
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
        c.Check(Hpc.Interop.Native.hpc_act_backward(c.Ptr, NativeKind, Param, y.Length, _input!.Data, y.Data, dy.Data, dx.Data));
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
