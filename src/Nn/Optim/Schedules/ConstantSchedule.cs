namespace Hpc.Nn;

/// <summary>The same rate every epoch.</summary>
public sealed class ConstantSchedule(float baseRate) : LearningRateSchedule(baseRate)
{
    protected override float Compute(int epoch) => BaseRate;
}
