using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// SGD with classic (PyTorch-form) momentum and both penalties, one fused native pass per tensor:
/// g' = g + wd w + l1 sign(w); v = momentum v + g'; w -= lr v. With momentum 0 it is plain SGD;
/// online, mini-batch and full-batch SGD differ only in the batch the gradient was taken over.
/// </summary>
public sealed unsafe class Momentum : Optimizer
{
    private readonly OptimizerState? _velocity;

    public Momentum(IEnumerable<Parameter> parameters, float lr, float momentum = 0.9f, Penalties penalties = default,
        Context? ctx = null) : base(parameters, lr, ctx)
    {
        Beta = Hyper.UnitInterval(momentum, nameof(momentum));
        Penalties = penalties;
        if (Beta != 0f) _velocity = new OptimizerState(Parameters);
    }

    /// <summary>The momentum coefficient.</summary>
    public float Beta { get; }

    public Penalties Penalties { get; }

    public override string Kind => "momentum";

    protected internal override void DescribeState(OptimizerStateView state) =>
        state.Hyper("momentum", Beta).Penalties(Penalties).Buffers("velocity", _velocity);

    public override void Step()
    {
        var c = Context;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            float* v = _velocity is null ? null : _velocity[i].Data;
            c.Check(Native.hpc_sgd_update(c.Ptr, p.Value.Length, LearningRate, Beta, Penalties.WeightDecayFor(p),
                Penalties.L1For(p), p.Value.Data, p.Grad.Data, v));
        }
    }

    public override void Dispose()
    {
        _velocity?.Dispose();
        base.Dispose();
    }
}
