using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Heaviside step / binary threshold unit: 1 if z &gt;= 0, else 0. Its derivative is 0 everywhere,
/// so backpropagation through it passes no gradient: threshold units learn with the perceptron
/// rule (<see cref="Perceptron"/>), not backprop.
/// </summary>
public sealed class Step(Context? ctx = null) : NativeActivation(hpc_activation.HPC_ACT_STEP, 0f, ctx)
{
    internal override string SpecLine => "step";
}
