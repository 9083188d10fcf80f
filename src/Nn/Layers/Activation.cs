using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// An element-wise activation layer over the native bias+activation kernels (no bias here).
/// Subclasses only name their kernel; new activations are a new enum value in hpcnn.h and a subclass.
/// </summary>
public abstract unsafe class Activation : Module
{
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _dx;

    private protected Activation(Context? ctx) : base(ctx) { }

    /// <summary>The kind this layer computes.</summary>
    public abstract ActivationKind Kind { get; }

    /// <summary>The parameter of parameterised activations (e.g. a leaky slope); 0 otherwise.</summary>
    protected virtual float Param => 0f;

    public override string Name => Kind.ToString();

    internal override string SpecLine => Kind.ToString().ToLowerInvariant();

    /// <summary>Creates the layer for <paramref name="kind"/>.</summary>
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
        int rows = x.Rows, cols = x.Cols;
        var y = Tensor.Ensure(ref _output, rows, cols);
        var ctx = Context;
        ctx.Check(Hpc.Interop.Native.hpc_bias_act_forward(ctx.Ptr, Native(Kind), Param, rows, cols, x.Data, null, y.Data));
        _input = x;
        return y;
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient)
    {
        CheckForwardDone(_input);
        if (!computeInputGradient) return null;
        var y = _output!;
        CheckGradientMatchesOutput(dy, y);
        var dx = Tensor.Ensure(ref _dx, y.Rows, y.Cols);
        var ctx = Context;
        ctx.Check(Hpc.Interop.Native.hpc_act_backward(ctx.Ptr, Native(Kind), Param, y.Length, _input!.Data, y.Data, dy.Data, dx.Data));
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
