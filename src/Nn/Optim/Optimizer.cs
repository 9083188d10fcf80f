namespace Hpc.Nn;

/// <summary>Updates a fixed set of parameters from their gradients.</summary>
public abstract class Optimizer : IDisposable
{
    private float _lr;

    protected Optimizer(IEnumerable<Parameter> parameters, float learningRate, Context? ctx)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0) throw new ArgumentException("optimizer: no parameters to optimise", nameof(parameters));
        LearningRate = learningRate;
        Context = ctx ?? Context.Default;
    }

    public IReadOnlyList<Parameter> Parameters { get; }

    public Context Context { get; }

    /// <summary>Step size; settable between steps (learning-rate schedules).</summary>
    public float LearningRate
    {
        get => _lr;
        set
        {
            if (!float.IsFinite(value) || value < 0)
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "learning rate must be finite and >= 0");
            _lr = value;
        }
    }

    /// <summary>Applies one update to every parameter from its current gradient.</summary>
    public abstract void Step();

    /// <summary>The name <see cref="Optimizers.Create"/> knows this optimizer by; a checkpoint records it.</summary>
    public virtual string Kind => GetType().Name.ToLowerInvariant();

    /// <summary>
    /// Lists the optimizer's hyper-parameters (besides the learning rate, which the base records),
    /// counters and state buffers in <paramref name="state"/>: all a checkpoint needs to save it
    /// and to restore it into an optimizer of the same kind.
    /// </summary>
    protected internal virtual void DescribeState(OptimizerStateView state) { }

    /// <summary>The optimizer's state by name (live: buffers are the optimizer's own tensors).</summary>
    public OptimizerStateView State()
    {
        var view = new OptimizerStateView(Kind);
        view.Hyper("lr", LearningRate);
        DescribeState(view);
        return view;
    }

    protected static float CheckHyper(float value, string name, float min, float maxExclusive)
    {
        if (!float.IsFinite(value) || value < min || value >= maxExclusive)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {maxExclusive})");
        return value;
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
