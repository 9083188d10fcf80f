namespace Hpc.Nn;

/// <summary>
/// Wraps an optimizer so that every step first clips the gradients (by global norm and/or by
/// value), then applies the inner update with this wrapper's learning rate: a drop-in for any
/// training loop that calls <see cref="Optimizer.Step"/> after backward.
/// </summary>
public sealed class ClippedOptimizer : Optimizer
{
    public ClippedOptimizer(Optimizer inner, float? maxNorm = null, float? maxValue = null)
        : base((inner ?? throw new ArgumentNullException(nameof(inner))).Parameters, inner.LearningRate, inner.Context)
    {
        if (maxNorm is null && maxValue is null) throw new ArgumentException("give maxNorm, maxValue or both", nameof(maxNorm));
        if (maxNorm is { } n) Hyper.Positive(n, nameof(maxNorm));
        if (maxValue is { } v) Hyper.Positive(v, nameof(maxValue));
        Inner = inner;
        MaxNorm = maxNorm;
        MaxValue = maxValue;
    }

    public Optimizer Inner { get; }

    public override string Kind => Inner.Kind;

    protected internal override void DescribeState(OptimizerStateView state)
    {
        Inner.DescribeState(state);
        state.Hyper("clip_norm", MaxNorm ?? 0).Hyper("clip_value", MaxValue ?? 0);
    }
    public float? MaxNorm { get; }
    public float? MaxValue { get; }

    /// <summary>The global gradient norm before clipping at the last step (NaN before the first).</summary>
    public double LastNorm { get; private set; } = double.NaN;

    public override void Step()
    {
        if (MaxValue is { } v) GradientClipping.ClipByValue(Parameters, v, Context);
        LastNorm = MaxNorm is { } n ? GradientClipping.ClipByGlobalNorm(Parameters, n, Context) : GradientClipping.GlobalNorm(Parameters, Context);
        Inner.LearningRate = LearningRate;
        Inner.Step();
    }

    public override void Dispose()
    {
        Inner.Dispose();
        base.Dispose();
    }
}
