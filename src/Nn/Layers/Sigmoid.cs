using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>y = 1 / (1 + e^-x).</summary>
public sealed class Sigmoid(Context? ctx = null) : Activation(hpc_activation.HPC_ACT_SIGMOID, 0f, ctx);
