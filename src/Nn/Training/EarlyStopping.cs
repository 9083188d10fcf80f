namespace Hpc.Nn;

/// <summary>
/// Early stopping with patience and best-weights restore (seed 002 Algorithm 1): after each
/// evaluation call <see cref="Observe"/> with the validation error; when it is no worse than the
/// best so far (best &gt;= current, as in the algorithm) the weights are copied aside and the
/// patience count reset, otherwise the count grows. Stop when it reaches the patience, then
/// <see cref="RestoreBest"/>. A NaN error never counts as an improvement.
/// </summary>
public sealed class EarlyStopping
{
    private readonly Parameter[] _params;
    private readonly float[][] _best;

    public EarlyStopping(IEnumerable<Parameter> parameters, int patience)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (patience <= 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, $"patience must be > 0, got {patience}");
        _params = parameters.ToArray();
        if (_params.Length == 0) throw new ArgumentException("early stopping: no parameters to watch", nameof(parameters));
        _best = new float[_params.Length][];
        for (int i = 0; i < _params.Length; i++) _best[i] = new float[_params[i].Value.Length];
        Patience = patience;
    }

    public int Patience { get; }

    /// <summary>Lowest validation error seen (+inf before the first observation).</summary>
    public double BestError { get; private set; } = double.PositiveInfinity;

    /// <summary>1-based index of the observation that gave <see cref="BestError"/> (0 if none yet).</summary>
    public int BestObservation { get; private set; }

    /// <summary>Observations since the last improvement.</summary>
    public int PatienceCount { get; private set; }

    public int Observations { get; private set; }

    public bool ShouldStop => PatienceCount >= Patience;

    /// <summary>Records a validation error; returns true when training should stop.</summary>
    public bool Observe(double validationError)
    {
        Observations++;
        if (BestError >= validationError)
        {
            BestError = validationError;
            BestObservation = Observations;
            for (int i = 0; i < _params.Length; i++) _params[i].Value.AsSpan().CopyTo(_best[i]);
            PatienceCount = 0;
        }
        else
        {
            PatienceCount++;
        }
        return ShouldStop;
    }

    /// <summary>Copies the best weights back into the parameters; false (and nothing changed) if none was recorded.</summary>
    public bool RestoreBest()
    {
        if (BestObservation == 0) return false;
        for (int i = 0; i < _params.Length; i++) _params[i].Value.CopyFrom(_best[i]);
        return true;
    }
}
