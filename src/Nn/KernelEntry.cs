namespace Hpc.Nn;

/// <summary>One slot of the kernel table a context's path selected (see <see cref="Context.Kernels"/>).</summary>
/// <param name="Slot">The family's short name ("eltwise", "conv_direct", ...).</param>
/// <param name="Label">What the family computes.</param>
/// <param name="Implementation">The path whose code runs there ("avx2", ...), or "none" when the path has no
/// kernel of its own there and the family falls back to its general code.</param>
/// <param name="StandIn">Null, or why another path's implementation stands in on this path.</param>
public sealed record KernelEntry(string Slot, string Label, string Implementation, string? StandIn);
