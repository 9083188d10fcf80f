using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Nesterov momentum (PyTorch's formulation), one fused native pass per tensor:
/// g' = g + wd w + l1 sign(w); v = momentum v + g'; w -= lr (g' + momentum v).
/// </summary>
public sealed unsafe class Nesterov : Optimizer
{
    private readonly OptimizerState _velocity;

    public Nesterov(IEnumerable<Parameter> parameters, float lr, float momentum = 0.9f, Penalties penalties = default,
        Context? ctx = null) : base(parameters, lr, ctx)
    {
        Momentum = Hyper.UnitInterval(momentum, nameof(momentum));
        Penalties = penalties;
        _velocity = new OptimizerState(Parameters);
    }

    public float Momentum { get; }

    public Penalties Penalties { get; }

    protected internal override void DescribeState(OptimizerStateView state) =>
        state.Hyper("momentum", Momentum).Penalties(Penalties).Buffers("velocity", _velocity);

    public override void Step()
    {
        var c = Context;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            c.Check(Native.hpc_nesterov_update(c.Ptr, p.Value.Length, LearningRate, Momentum, Penalties.WeightDecayFor(p),
                Penalties.L1For(p), p.Value.Data, p.Grad.Data, _velocity[i].Data));
        }
    }

    public override void Dispose()
    {
        _velocity.Dispose();
        base.Dispose();
    }
}
