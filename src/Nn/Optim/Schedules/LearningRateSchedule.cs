namespace Hpc.Nn;

/// <summary>
/// A learning rate as a function of the epoch (0-based: epoch 0 uses the base rate). Apply it at
/// the start of each epoch with <see cref="Apply"/>; schedules are pure functions of the epoch, so
/// resuming or restarting a run gives the same rates.
/// </summary>
public abstract class LearningRateSchedule
{
    protected LearningRateSchedule(float baseRate) => BaseRate = Hyper.NonNegative(baseRate, nameof(baseRate));

    /// <summary>The rate at epoch 0.</summary>
    public float BaseRate { get; }

    /// <summary>The rate for 0-based <paramref name="epoch"/>.</summary>
    public float RateAt(int epoch)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "epoch must be >= 0");
        return Compute(epoch);
    }

    protected abstract float Compute(int epoch);

    /// <summary>Sets <paramref name="optimizer"/>'s learning rate to <see cref="RateAt"/>(<paramref name="epoch"/>).</summary>
    public void Apply(Optimizer optimizer, int epoch)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.LearningRate = RateAt(epoch);
    }

    /// <summary>
    /// The schedule named "none|constant|step|exp|exponential|cosine" with common defaults: step
    /// halves the rate every <paramref name="stepSize"/> epochs, exp multiplies by
    /// <paramref name="gamma"/> each epoch, cosine anneals to 0 over <paramref name="epochs"/>.
    /// </summary>
    public static LearningRateSchedule Create(string name, float baseRate, int epochs, int stepSize = 10, float gamma = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "none" or "constant" => new ConstantSchedule(baseRate),
            "step" => new StepSchedule(baseRate, stepSize, gamma),
            "exp" or "exponential" => new ExponentialSchedule(baseRate, gamma),
            "cosine" or "cos" => new CosineSchedule(baseRate, Math.Max(epochs, 1)),
            _ => throw new ArgumentException($"unknown learning-rate schedule '{name}' (expected none, step, exp or cosine)", nameof(name)),
        };
    }
}
