using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>y = tanh(x).</summary>
public sealed class Tanh(Context? ctx = null) : Activation(hpc_activation.HPC_ACT_TANH, 0f, ctx);
