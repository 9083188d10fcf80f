namespace Hpc.Nn;

/// <summary>
/// Updates a fixed set of parameters from their gradients. Every optimizer exposes its state the
/// same way (<see cref="Kind"/>, <see cref="HyperParameters"/>, <see cref="StateOf"/>,
/// <see cref="StepCount"/>), so that checkpoints save and restore any of them without knowing the type.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private float _lr;
    private long _steps;

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

    /// <summary>The name <see cref="Optimizers.Create"/> accepts for this optimizer ("sgd", "adam", ...).</summary>
    public abstract string Kind { get; }

    /// <summary>The hyper-parameters by name (the learning rate included), enough to rebuild the optimizer.</summary>
    public virtual IReadOnlyList<KeyValuePair<string, double>> HyperParameters => [new("lr", LearningRate)];

    /// <summary>
    /// The state tensors kept for parameter <paramref name="parameterIndex"/> (velocity, moment
    /// estimates...), by name, each of the parameter's shape; empty when the rule keeps none. They are
    /// the live buffers: a checkpoint reads them to save and writes them to restore.
    /// </summary>
    public virtual IReadOnlyList<KeyValuePair<string, Tensor>> StateOf(int parameterIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parameterIndex, Parameters.Count);
        return [];
    }

    /// <summary>Updates taken so far; settable to resume (bias corrections such as Adam's read it).</summary>
    public long StepCount
    {
        get => _steps;
        set => _steps = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(StepCount), value, "step count must be >= 0");
    }

    /// <summary>The optimizer's state by name (live: the buffers are the optimizer's own tensors), as checkpoints save it.</summary>
    public OptimizerStateView State() => new(this);

    /// <summary>Applies one update to every parameter from its current gradient.</summary>
    public void Step()
    {
        Update(_steps + 1);
        _steps++;
    }

    /// <summary>The update rule; <paramref name="step"/> counts from 1.</summary>
    protected abstract void Update(long step);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
