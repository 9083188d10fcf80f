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

    protected static float CheckHyper(float value, string name, float min, float maxExclusive)
    {
        if (!float.IsFinite(value) || value < min || value >= maxExclusive)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {maxExclusive})");
        return value;
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
