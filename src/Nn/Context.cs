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

    /// <summary>True when the ISA path can be selected on this CPU and build.</summary>
    public static bool IsSupported(Isa isa)
    {
        int ok;
        Status.Check(Native.hpc_isa_supported((hpc_isa)(int)isa, &ok), null);
        return ok != 0;
    }

    /// <summary>The short name of a path: "auto", "scalar", "avx2", "avx512", "openblas".</summary>
    public static string IsaName(Isa isa) => isa switch
    {
        Isa.Auto => "auto",
        Isa.Scalar => "scalar",
        Isa.Avx2 => "avx2",
        Isa.Avx512 => "avx512",
        Isa.OpenBlas => "openblas",
        _ => throw new ArgumentOutOfRangeException(nameof(isa), isa, "unknown ISA path"),
    };

    /// <summary>Parses "auto|scalar|avx2|avx512|openblas" (case-insensitive).</summary>
    public static Isa ParseIsa(string name) => name.Trim().ToLowerInvariant() switch
    {
        "auto" => Isa.Auto,
        "scalar" => Isa.Scalar,
        "avx2" => Isa.Avx2,
        "avx512" => Isa.Avx512,
        "openblas" => Isa.OpenBlas,
        _ => throw new ArgumentException($"unknown ISA path '{name}' (expected auto, scalar, avx2, avx512 or openblas)", nameof(name)),
    };

    /// <summary>Throws the typed exception of a failed native call, with this context's message.</summary>
    internal void Check(hpc_status status)
    {
        if (status != hpc_status.HPC_STATUS_OK) Status.Check(status, _handle);
    }

    public void Dispose() => _handle.Dispose();
}
