namespace Hpc.Nn;

/// <summary>Settings of a <see cref="Trainer"/> run.</summary>
public sealed class TrainerOptions
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Training mini-batch size (the last batch of an epoch may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Rows per forward pass during evaluation (no effect on results, only on speed and memory).</summary>
    public int EvalBatchSize { get; init; } = 500;

    /// <summary>Seeds the per-epoch shuffling; with the same seed, model and ISA a run is bit-for-bit repeatable.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Shuffle the training set at the start of each epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Skip the last incomplete batch of each epoch.</summary>
    public bool DropLast { get; init; }

    /// <summary>Throw <see cref="NonFiniteLossException"/> when a training loss is NaN or infinite (default); otherwise keep going.</summary>
    public bool StopOnNonFiniteLoss { get; init; } = true;

    /// <summary>Where <see cref="Trainer.Fit"/> saves a checkpoint (model, optimizer, epoch, generator states): after the last epoch, or after every one with <see cref="CheckpointEveryEpoch"/>.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Save to <see cref="CheckpointPath"/> after every epoch (a crash loses at most one epoch), not only at the end.</summary>
    public bool CheckpointEveryEpoch { get; init; }

    /// <summary>Where to save the model whenever its evaluation loss is the lowest so far (the best-by-validation model).</summary>
    public string? BestCheckpointPath { get; init; }

    /// <summary>
    /// Check every step's input batch, parameter gradients (after backward) and weights (after the
    /// update) for NaN and infinity, and throw <see cref="NonFiniteValueException"/> naming the step,
    /// layer and tensor of the first one found. Off by default (it costs one native pass over each
    /// tensor per step); the <c>hpc</c> CLI turns it on.
    /// </summary>
    public bool CheckFiniteValues { get; init; }

    internal void Validate()
    {
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "epochs must be >= 0");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be > 0");
        if (EvalBatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(EvalBatchSize), EvalBatchSize, "evaluation batch size must be > 0");
    }
}
