using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Momentum in the convex form of seed 001 section 14.3: V = beta V - (1 - beta) g'; W += kappa V
/// (V points downhill; the notes print "W = W - kappa V", which with this V would climb, so the
/// descent-consistent sign is used). kappa is the <see cref="Optimizer.LearningRate"/>.
/// </summary>
public sealed unsafe class SeedMomentum : Optimizer
{
    private readonly OptimizerState _velocity;

    public SeedMomentum(IEnumerable<Parameter> parameters, float kappa, float beta = 0.9f, Penalties penalties = default,
        Context? ctx = null) : base(parameters, kappa, ctx)
    {
        Beta = Hyper.UnitInterval(beta, nameof(beta));
        Penalties = penalties;
        _velocity = new OptimizerState(Parameters);
    }

    public float Beta { get; }

    public Penalties Penalties { get; }

    public override string Kind => "seed-momentum";

    protected internal override void DescribeState(OptimizerStateView state) =>
        state.Hyper("momentum", Beta).Penalties(Penalties).Buffers("velocity", _velocity);

    /// <summary>The velocity V of parameter <paramref name="index"/> (for inspection).</summary>
    public Tensor Velocity(int index) => _velocity[index];

    public override void Step()
    {
        var c = Context;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            c.Check(Native.hpc_sgd_convex_momentum_update(c.Ptr, p.Value.Length, LearningRate, Beta, Penalties.WeightDecayFor(p),
                Penalties.L1For(p), p.Value.Data, p.Grad.Data, _velocity[i].Data));
        }
    }

    public override void Dispose()
    {
        _velocity.Dispose();
        base.Dispose();
    }
}
