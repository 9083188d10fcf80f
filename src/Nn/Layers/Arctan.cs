using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>atan z, in (-pi/2, pi/2) (seed 001 section 5); derivative 1 / (1 + z^2), computed from the input.</summary>
public sealed class Arctan(Context? ctx = null) : Activation(hpc_activation.HPC_ACT_ARCTAN, 0f, ctx);
