using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Stochastic gradient descent with classic momentum and L2 weight decay, one fused native pass
/// per parameter tensor: g' = g + wd * w; v = momentum * v + g'; w -= lr * v.
/// Parameters with <see cref="Parameter.WeightDecay"/> false (biases) get no decay unless
/// <c>decayBiases</c> is set.
/// </summary>
public sealed unsafe class Sgd : Optimizer
{
    private readonly OptimizerState? _velocity;
    private readonly Parameter[] _params;

    public Sgd(IEnumerable<Parameter> parameters, float lr, float momentum = 0f, float weightDecay = 0f,
        bool decayBiases = false, Context? ctx = null) : base(parameters, lr, ctx)
    {
        Momentum = CheckHyper(momentum, nameof(momentum), 0f, 1f);
        WeightDecay = CheckHyper(weightDecay, nameof(weightDecay), 0f, float.PositiveInfinity);
        DecayBiases = decayBiases;
        _params = [.. Parameters];
        if (Momentum != 0f) _velocity = new OptimizerState(_params);
    }

    public float Momentum { get; }
    public float WeightDecay { get; }
    public bool DecayBiases { get; }

    protected internal override void DescribeState(OptimizerStateView state) =>
        state.Hyper("momentum", Momentum).Hyper("weight_decay", WeightDecay).Hyper("decay_biases", DecayBiases ? 1 : 0)
            .Buffers("velocity", _velocity);

    public override void Step()
    {
        var c = Context;
        for (int i = 0; i < _params.Length; i++)
        {
            var p = _params[i];
            float wd = p.WeightDecay || DecayBiases ? WeightDecay : 0f;
            float* v = _velocity is null ? null : _velocity[i].Data;
            c.Check(Native.hpc_sgd_momentum_update(c.Ptr, p.Value.Length, LearningRate, Momentum, wd,
                p.Value.Data, p.Grad.Data, v));
        }
    }

    public override void Dispose()
    {
        _velocity?.Dispose();
        base.Dispose();
    }
}
