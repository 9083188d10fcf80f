using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// A native execution context: the ISA path, the thread count and the kernels' reusable workspace.
/// Like its native counterpart it is used by one thread at a time; give each thread its own.
/// </summary>
public sealed unsafe class Context : IDisposable
{
    // Per thread, because a native context must not be used by two threads at once: a process-wide
    // default would race as soon as two threads (parallel tests, a server's requests) train.
    [ThreadStatic] private static Context? t_default;

    private readonly ContextHandle _handle;

    /// <summary>
    /// The calling thread's default context (AUTO ISA, or the HPC_ISA environment variable; one
    /// kernel thread), created on first use. Modules capture it when constructed, so build and
    /// train a model on the same thread, or pass an explicit context.
    /// </summary>
    public static Context Default => t_default ??= new Context();

    /// <summary>Creates a context. Throws the typed <see cref="HpcException"/> of the native status when
    /// the ISA is not supported by this CPU/build or the thread count is out of range.</summary>
    public Context(Isa isa = Isa.Auto, int threads = 1)
        : this(isa == Isa.Auto ? ContextHandle.Create() : ContextHandle.Create((hpc_isa)(int)isa), threads) { }

    /// <summary>A context on <paramref name="isa"/> whatever HPC_ISA says (<see cref="Isa.Auto"/> = the
    /// best path of this CPU): for programs with their own ISA option.</summary>
    public static Context ForIsa(Isa isa, int threads = 1) => new(ContextHandle.Create((hpc_isa)(int)isa), threads);

    private Context(ContextHandle handle, int threads)
    {
        _handle = handle;
        try
        {
            if (threads != 1) Threads = threads;
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>The owned native handle, for callers that need the raw bindings.</summary>
    public ContextHandle Handle => _handle;

    internal hpc_ctx* Ptr
    {
        get
        {
            return _handle.Pointer;
        }
    }

    /// <summary>The ISA path in use (never <see cref="Isa.Auto"/> when read). Setting a path the CPU lacks throws.</summary>
    public Isa Isa
    {
        get
        {
            hpc_isa isa;
            Check(Native.hpc_ctx_get_isa(Ptr, &isa));
            return (Isa)(int)isa;
        }
        set
        {
            if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "unknown ISA path");
            Check(Native.hpc_ctx_set_isa(Ptr, (hpc_isa)(int)value));
        }
    }

    /// <summary>Threads the kernels may use; setting 0 means one per logical core.</summary>
    public int Threads
    {
        get
        {
            int t;
            Check(Native.hpc_ctx_get_threads(Ptr, &t));
            return t;
        }
        set => Check(Native.hpc_ctx_set_threads(Ptr, value));
    }

    /// <summary>The implementation each kernel family runs on this context's path, from the native kernel table.</summary>
    public IReadOnlyList<KernelEntry> Kernels
    {
        get
        {
            int n = Native.hpc_kernel_table_size();
            var entries = new KernelEntry[n];
            for (int i = 0; i < n; i++)
            {
                sbyte* slot, label, impl, standIn;
                Check(Native.hpc_kernel_table_entry(Ptr, i, &slot, &label, &impl, &standIn));
                entries[i] = new KernelEntry(new string(slot), new string(label), new string(impl),
                    standIn is null ? null : new string(standIn));
            }
            return entries;
        }
    }

    /// <summary>True when the ISA path can be selected on this CPU and build.</summary>
    public static bool IsSupported(Isa isa)
    {
        int ok;
        Status.Check(Native.hpc_isa_supported((hpc_isa)(int)isa, &ok), null);
        return ok != 0;
    }

    /// <summary>Every path, in declaration order (auto first).</summary>
    public static IReadOnlyList<Isa> AllIsas { get; } = Enum.GetValues<Isa>();

    /// <summary>The short names of <see cref="AllIsas"/>, as the native library spells them.</summary>
    public static IReadOnlyList<string> IsaNames { get; } = AllIsas.Select(IsaName).ToArray();

    /// <summary>The short name of a path, from the native library ("auto", "scalar", "avx2", ...).</summary>
    public static string IsaName(Isa isa)
    {
        if (!Enum.IsDefined(isa)) throw new ArgumentOutOfRangeException(nameof(isa), isa, "unknown ISA path");
        return new string(Native.hpc_isa_name((hpc_isa)(int)isa));
    }

    /// <summary>Parses a path's short name (case-insensitive), one of <see cref="IsaNames"/>.</summary>
    public static Isa ParseIsa(string name)
    {
        string wanted = name.Trim();
        for (int i = 0; i < AllIsas.Count; i++)
            if (string.Equals(IsaNames[i], wanted, StringComparison.OrdinalIgnoreCase)) return AllIsas[i];
        throw new ArgumentException($"unknown ISA path '{name}' (expected {string.Join(", ", IsaNames.Take(IsaNames.Count - 1))} or {IsaNames[^1]})", nameof(name));
    }

    /// <summary>Throws the typed exception of a failed native call, with this context's message.</summary>
    internal void Check(hpc_status status)
    {
        if (status != hpc_status.HPC_STATUS_OK) Status.Check(status, _handle);
    }

    public void Dispose() => _handle.Dispose();
}
