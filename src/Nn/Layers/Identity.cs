using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>y = x (a linear unit; useful to build a network from an activation name).</summary>
public sealed class Identity(Context? ctx = null) : Activation(hpc_activation.HPC_ACT_IDENTITY, 0f, ctx);
