using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>Leaky ReLU (seed 002 eq. 45-46): z if z &gt; 0, else slope * z (slope 0.01 by default).</summary>
public sealed class LeakyReLU(float slope = 0.01f, Context? ctx = null)
    : Activation(hpc_activation.HPC_ACT_LEAKY_RELU, CheckSlope(slope), ctx)
{
    public float Slope => Param;

    public override string Name => $"LeakyReLU({Slope})";

    internal override string SpecLine => "leaky-relu slope=" + ModelSpec.FloatText(Slope);

    private static float CheckSlope(float slope)
    {
        if (!float.IsFinite(slope)) throw new ArgumentOutOfRangeException(nameof(slope), slope, $"leaky ReLU slope must be finite, got {slope}");
        return slope;
    }
}
