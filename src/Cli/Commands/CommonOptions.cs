using System.CommandLine;
using Hpc.Nn;

namespace Hpc.Cli.Commands;

/// <summary>Options every command that opens a native context shares: the ISA path and the thread count.</summary>
internal sealed class CommonOptions
{
    public static readonly string[] IsaNames = [.. Context.IsaNames];

    // No default: absent means "whatever HPC_ISA says, else auto", present overrides HPC_ISA.
    public Option<string?> Isa { get; } = new Option<string?>("--isa")
    {
        Description = $"Kernel path: {string.Join("|", IsaNames)} (overrides HPC_ISA; default: HPC_ISA, else auto)",
        HelpName = "path",
    }.OneOf(IsaNames);

    public Option<int> Threads { get; } = new Option<int>("--threads")
    {
        Description = "Threads the kernels may use; 0 = one per logical core",
        DefaultValueFactory = _ => 0,
        HelpName = "n",
    }.InRange(0, 1024);

    public void AddTo(Command command)
    {
        command.Add(Isa);
        command.Add(Threads);
    }
}
