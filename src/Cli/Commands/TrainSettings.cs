namespace Hpc.Cli.Commands;

/// <summary>Everything `hpc train` was asked for, after parsing and validation.</summary>
internal sealed record TrainSettings(
    int Epochs,
    int BatchSize,
    float LearningRate,
    float Momentum,
    ulong Seed,
    int Threads,
    string? Isa,
    string? DataDir,
    string Model = "mlp",
    TrainRecipe? Recipe = null,
    RunOutputs? Outputs = null);
