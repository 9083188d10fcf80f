namespace Hpc.Nn;

/// <summary>Exponential decay: rate = base * gamma^epoch.</summary>
public sealed class ExponentialSchedule : LearningRateSchedule
{
    public ExponentialSchedule(float baseRate, float gamma) : base(baseRate) => Gamma = Hyper.NonNegative(gamma, nameof(gamma));

    public float Gamma { get; }

    protected override float Compute(int epoch) => (float)(BaseRate * Math.Pow(Gamma, epoch));
}
