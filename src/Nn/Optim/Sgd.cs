using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Stochastic gradient descent, plain or with momentum in one of the <see cref="MomentumForm"/>s,
/// with L2 and L1 penalties folded into the gradient (g' = g + weightDecay w + l1 sign(w)); one fused
/// native pass per parameter tensor. With momentum 0 every form is w -= lr g' and keeps no state.
/// Online, mini-batch and full-batch SGD differ only in the batch the gradient was taken over.
/// </summary>
public sealed unsafe class Sgd : Optimizer
{
    private readonly OptimizerState? _velocity;

    public Sgd(IEnumerable<Parameter> parameters, float lr, float momentum = 0f, bool nesterov = false,
        float weightDecay = 0f, float l1 = 0f, bool decayBiases = false, Context? ctx = null)
        : this(parameters, lr, momentum, nesterov ? MomentumForm.Nesterov : MomentumForm.Classic,
            new Penalties(weightDecay, l1, decayBiases), ctx) { }

    public Sgd(IEnumerable<Parameter> parameters, float lr, float momentum, MomentumForm form, Penalties penalties = default,
        Context? ctx = null) : base(parameters, lr, ctx)
    {
        Momentum = Hyper.UnitInterval(momentum, nameof(momentum));
        Form = Enum.IsDefined(form) ? form : throw new ArgumentOutOfRangeException(nameof(form), form, "unknown momentum form");
        Penalties = penalties;
        if (Momentum != 0f) _velocity = new OptimizerState("velocity", Parameters);
    }

    public float Momentum { get; }

    public MomentumForm Form { get; }

    public Penalties Penalties { get; }

    public override string Kind => "sgd";

    public override IReadOnlyList<KeyValuePair<string, double>> HyperParameters =>
    [
        new("lr", LearningRate), new("momentum", Momentum), new("form", (double)Form),
        new("weight_decay", Penalties.WeightDecay), new("l1", Penalties.L1), new("decay_biases", Penalties.DecayBiases ? 1 : 0),
    ];

    public override IReadOnlyList<KeyValuePair<string, Tensor>> StateOf(int parameterIndex)
    {
        base.StateOf(parameterIndex);
        return _velocity is null ? [] : [_velocity.Entry(parameterIndex)];
    }

    protected override void Update(long step)
    {
        var c = Context;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            float wd = Penalties.WeightDecayFor(p), l1 = Penalties.L1For(p);
            float* v = _velocity is null ? null : _velocity[i].Data;
            long n = p.Value.Length;
            var status = _velocity is null || Form == MomentumForm.Classic
                ? Native.hpc_sgd_update(c.Ptr, n, LearningRate, Momentum, wd, l1, p.Value.Data, p.Grad.Data, v)
                : Form == MomentumForm.Nesterov
                    ? Native.hpc_nesterov_update(c.Ptr, n, LearningRate, Momentum, wd, l1, p.Value.Data, p.Grad.Data, v)
                    : Native.hpc_sgd_convex_momentum_update(c.Ptr, n, LearningRate, Momentum, wd, l1, p.Value.Data, p.Grad.Data, v);
            c.Check(status);
        }
    }

    public override void Dispose()
    {
        _velocity?.Dispose();
        base.Dispose();
    }
}
