namespace Hpc.Nn;

/// <summary>How an <see cref="InferenceSession"/> runs its predictions.</summary>
public sealed class InferenceOptions
{
    /// <summary>The kernel path (<see cref="Isa.Auto"/>: the best this CPU has, or HPC_ISA).</summary>
    public Isa Isa { get; init; } = Isa.Auto;

    /// <summary>
    /// Kernel threads one prediction may use (1: each call runs on its caller's thread only, the
    /// right choice when many threads call at once; 0: one per logical core).
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Most predictions running at once, each with its own workspace (0: one per logical core).
    /// Further callers wait for a free workspace; workspaces are created on first need and reused.
    /// </summary>
    public int MaxConcurrency { get; init; }

    internal void Validate()
    {
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "threads must be >= 0");
        if (MaxConcurrency < 0) throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), MaxConcurrency, "max concurrency must be >= 0");
    }
}
