namespace Hpc.Nn;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter, without restarts):
/// rate = min + (base - min) (1 + cos(pi epoch / periodEpochs)) / 2, then <see cref="MinRate"/>
/// from epoch <see cref="PeriodEpochs"/> on.
/// </summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    public CosineSchedule(float baseRate, int periodEpochs, float minRate = 0f) : base(baseRate)
    {
        if (periodEpochs <= 0) throw new ArgumentOutOfRangeException(nameof(periodEpochs), periodEpochs, $"periodEpochs must be > 0, got {periodEpochs}");
        MinRate = Hyper.NonNegative(minRate, nameof(minRate));
        if (MinRate > BaseRate) throw new ArgumentOutOfRangeException(nameof(minRate), minRate, $"minRate {minRate} exceeds the base rate {BaseRate}");
        PeriodEpochs = periodEpochs;
    }

    public int PeriodEpochs { get; }
    public float MinRate { get; }

    protected override float Compute(int epoch)
    {
        if (epoch >= PeriodEpochs) return MinRate;
        return (float)(MinRate + (BaseRate - MinRate) * (1 + Math.Cos(Math.PI * epoch / PeriodEpochs)) / 2);
    }
}
