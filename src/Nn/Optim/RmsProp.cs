using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// RMSProp (PyTorch's uncentred form), one fused native pass per tensor:
/// s = alpha s + (1 - alpha) g'^2; d = g' / (sqrt(s) + eps); w -= lr d (or through a momentum buffer).
/// </summary>
public sealed unsafe class RmsProp : Optimizer
{
    private readonly OptimizerState _square;
    private readonly OptimizerState? _momentum;

    public RmsProp(IEnumerable<Parameter> parameters, float lr = 0.01f, float alpha = 0.99f, float eps = 1e-8f,
        float momentum = 0f, Penalties penalties = default, Context? ctx = null) : base(parameters, lr, ctx)
    {
        Alpha = Hyper.UnitInterval(alpha, nameof(alpha));
        Eps = Hyper.Positive(eps, nameof(eps));
        Momentum = Hyper.UnitInterval(momentum, nameof(momentum));
        Penalties = penalties;
        _square = new OptimizerState(Parameters);
        if (Momentum != 0f) _momentum = new OptimizerState(Parameters);
    }

    public float Alpha { get; }
    public float Eps { get; }
    public float Momentum { get; }
    public Penalties Penalties { get; }

    protected internal override void DescribeState(OptimizerStateView state) =>
        state.Hyper("alpha", Alpha).Hyper("eps", Eps).Hyper("momentum", Momentum).Penalties(Penalties)
            .Buffers("square_avg", _square).Buffers("momentum_buffer", _momentum);

    public override void Step()
    {
        var c = Context;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            float* b = _momentum is null ? null : _momentum[i].Data;
            c.Check(Native.hpc_rmsprop_update(c.Ptr, p.Value.Length, LearningRate, Alpha, Eps, Momentum,
                Penalties.WeightDecayFor(p), Penalties.L1For(p), p.Value.Data, p.Grad.Data, _square[i].Data, b));
        }
    }

    public override void Dispose()
    {
        _square.Dispose();
        _momentum?.Dispose();
        base.Dispose();
    }
}
