namespace Hpc.Nn;

/// <summary>The per-epoch metrics of a <see cref="Trainer.Fit"/> run.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochMetrics> _epochs = [];

    public IReadOnlyList<EpochMetrics> Epochs => _epochs;

    /// <summary>The last epoch's metrics, or null when no epoch ran.</summary>
    public EpochMetrics? Last => _epochs.Count > 0 ? _epochs[^1] : null;

    /// <summary>True when the run ended early through <see cref="Trainer.RequestStop"/>.</summary>
    public bool Stopped { get; internal set; }

    internal void Add(EpochMetrics m) => _epochs.Add(m);
}
