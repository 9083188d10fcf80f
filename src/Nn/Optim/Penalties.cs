namespace Hpc.Nn;

/// <summary>
/// The L2 (weight decay) and L1 coefficients an optimizer folds into each parameter's gradient,
/// g' = g + weightDecay * w + l1 * sign(w). Parameters whose <see cref="Parameter.WeightDecay"/>
/// is false (biases) get neither unless <see cref="DecayBiases"/> is set, as the seeds recommend.
/// </summary>
public readonly record struct Penalties
{
    public Penalties(float weightDecay = 0f, float l1 = 0f, bool decayBiases = false)
    {
        WeightDecay = Hyper.NonNegative(weightDecay, nameof(weightDecay));
        L1 = Hyper.NonNegative(l1, nameof(l1));
        DecayBiases = decayBiases;
    }

    /// <summary>L2 coefficient: the gradient of E + (weightDecay / 2) ||w||^2 (the seeds' lambda ||w||^2 is weightDecay = 2 lambda).</summary>
    public float WeightDecay { get; }

    /// <summary>L1 coefficient: the gradient of E + l1 ||w||_1.</summary>
    public float L1 { get; }

    public bool DecayBiases { get; }

    internal float WeightDecayFor(Parameter p) => p.WeightDecay || DecayBiases ? WeightDecay : 0f;

    internal float L1For(Parameter p) => p.WeightDecay || DecayBiases ? L1 : 0f;
}
