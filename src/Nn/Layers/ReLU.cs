using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>y = max(0, x).</summary>
public sealed class ReLU(Context? ctx = null) : Activation(hpc_activation.HPC_ACT_RELU, 0f, ctx);
