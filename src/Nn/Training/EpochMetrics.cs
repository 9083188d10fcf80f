namespace Hpc.Nn;

/// <summary>What one epoch achieved.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Loss">Mean training loss over the epoch's samples.</param>
/// <param name="TrainAccuracy">Fraction of training samples classified correctly as they were seen during the epoch (before each step's update).</param>
/// <param name="TestLoss">Mean loss on the test set after the epoch (NaN without a test set).</param>
/// <param name="TestAccuracy">Accuracy on the test set after the epoch (NaN without a test set).</param>
/// <param name="SamplesPerSecond">Training throughput (forward + backward + update; evaluation excluded).</param>
/// <param name="TrainTime">Time of the training phase.</param>
/// <param name="Elapsed">Time of the whole epoch, evaluation included.</param>
public sealed record EpochMetrics(int Epoch, int Epochs, double Loss, double TrainAccuracy, double TestLoss, double TestAccuracy,
    double SamplesPerSecond, TimeSpan TrainTime, TimeSpan Elapsed);
