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
    private readonly Tensor?[] _velocity;
    private readonly Parameter[] _params;

    public Sgd(IEnumerable<Parameter> parameters, float lr, float momentum = 0f, float weightDecay = 0f,
        bool decayBiases = false, Context? ctx = null) : base(parameters, lr, ctx)
    {
        Momentum = CheckHyper(momentum, nameof(momentum), 0f, 1f);
        WeightDecay = CheckHyper(weightDecay, nameof(weightDecay), 0f, float.PositiveInfinity);
        DecayBiases = decayBiases;
        _params = [.. Parameters];
        _velocity = new Tensor?[_params.Length];
        if (Momentum != 0f)
            for (int i = 0; i < _params.Length; i++) _velocity[i] = new Tensor(_params[i].Value.ShapeArray());
    }

    public float Momentum { get; }
    public float WeightDecay { get; }
    public bool DecayBiases { get; }

    public override void Step()
    {
        var c = Context;
        for (int i = 0; i < _params.Length; i++)
        {
            var p = _params[i];
            float wd = p.WeightDecay || DecayBiases ? WeightDecay : 0f;
            float* v = _velocity[i] is { } t ? t.Data : null;
            c.Check(Native.hpc_sgd_momentum_update(c.Ptr, p.Value.Length, LearningRate, Momentum, wd,
                p.Value.Data, p.Grad.Data, v));
        }
    }

    public override void Dispose()
    {
        foreach (var v in _velocity) v?.Dispose();
        base.Dispose();
    }
}
