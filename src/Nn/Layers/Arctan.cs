using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>atan z, in (-pi/2, pi/2) (seed 001 section 5); derivative 1 / (1 + z^2), computed from the input.</summary>
public sealed class Arctan(Context? ctx = null) : NativeActivation(hpc_activation.HPC_ACT_ARCTAN, 0f, ctx)
{
    internal override string SpecLine => "arctan";
}
