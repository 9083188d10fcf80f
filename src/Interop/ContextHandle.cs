using System.Runtime.InteropServices;

namespace Hpc.Interop;

/// <summary>Owns one native <see cref="hpc_ctx"/> (threads, ISA path, last error, workspace) and
/// destroys it exactly once, even when the owner forgets to dispose. A context is used by one
/// thread at a time.</summary>
public sealed unsafe class ContextHandle : SafeHandle
{
    private ContextHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    /// <summary>A new context (AUTO ISA or HPC_ISA, one thread). Throws the typed exception with
    /// the library's message, e.g. <see cref="HpcUnsupportedException"/> when HPC_ISA names a path
    /// this CPU lacks.</summary>
    public static ContextHandle Create() => Create(null);

    /// <summary>A new context on <paramref name="isa"/> (AUTO = the best path), ignoring HPC_ISA; null
    /// means <see cref="Create()"/>'s choice. Throws <see cref="HpcUnsupportedException"/> for a path the
    /// CPU or build lacks.</summary>
    public static ContextHandle Create(hpc_isa? isa)
    {
        var handle = new ContextHandle();
        hpc_ctx* ctx = null;
        var status = isa is { } explicitIsa ? Native.hpc_ctx_create_with_isa(explicitIsa, &ctx) : Native.hpc_ctx_create(&ctx);
        if (status != hpc_status.HPC_STATUS_OK)
        {
            handle.SetHandleAsInvalid();
            Status.Check(status, null);
        }
        handle.SetHandle((IntPtr)ctx);
        return handle;
    }

    /// <summary>The native pointer to pass to <see cref="Native"/> calls. Throws once disposed, so a
    /// use-after-dispose is an exception rather than a native crash.</summary>
    public hpc_ctx* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return (hpc_ctx*)handle;
        }
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Native.hpc_ctx_destroy((hpc_ctx*)handle);
        return true;
    }
}
