namespace Hpc.Nn;

/// <summary>Step decay: rate = base * gamma^floor(epoch / stepSize).</summary>
public sealed class StepSchedule : LearningRateSchedule
{
    public StepSchedule(float baseRate, int stepSize, float gamma = 0.1f) : base(baseRate)
    {
        if (stepSize <= 0) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, $"stepSize must be > 0, got {stepSize}");
        StepSize = stepSize;
        Gamma = Hyper.NonNegative(gamma, nameof(gamma));
    }

    public int StepSize { get; }
    public float Gamma { get; }

    protected override float Compute(int epoch) => (float)(BaseRate * Math.Pow(Gamma, epoch / StepSize));
}
