namespace Hpc.Nn;

/// <summary>Reported after every training step (a struct: raising it allocates nothing).</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="BatchesPerEpoch">Batches in this epoch.</param>
/// <param name="Step">1-based global step since the trainer was created.</param>
/// <param name="Loss">Mean loss of this batch.</param>
/// <param name="SamplesPerSecond">Training throughput of the epoch so far.</param>
public readonly record struct BatchProgress(int Epoch, int Batch, int BatchesPerEpoch, long Step, float Loss, double SamplesPerSecond);
