using Hpc.Nn;

namespace Hpc.Cli;

/// <summary>Opens the native context a command runs on, from --isa / HPC_ISA and --threads.</summary>
internal static class ContextFactory
{
    /// <summary>isa null keeps the library's own choice (HPC_ISA, else the best path); a name overrides it.</summary>
    public static Context Open(string? isa, int threads)
    {
        // --isa (auto included) overrides HPC_ISA, so it must not go through HPC_ISA's validation.
        var ctx = isa is not null ? Context.ForIsa(Context.ParseIsa(isa)) : new Context();
        try
        {
            ctx.Threads = threads;
            return ctx;
        }
        catch
        {
            ctx.Dispose();
            throw;
        }
    }

    /// <summary>Where the ISA choice came from, for the record printed before training and by `hpc info`.</summary>
    public static string IsaOrigin(string? isa) =>
        isa is not null ? "--isa" :
        Environment.GetEnvironmentVariable("HPC_ISA") is { Length: > 0 } env ? $"HPC_ISA={env}" :
        "auto";
}
