using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Hpc.Interop;

/// <summary>Turns native status codes into typed exceptions carrying the native message.</summary>
public static unsafe class Status
{
    /// <summary>Returns when <paramref name="status"/> is OK; otherwise throws the exception for it,
    /// with the message from <paramref name="ctx"/> (hpc_ctx_last_error) or, without a usable
    /// context, from hpc_last_error (the calling thread's fallback).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(hpc_status status, ContextHandle? ctx = null)
    {
        if (status != hpc_status.HPC_STATUS_OK) Throw(status, ctx);
    }

    /// <summary>The exception a non-OK status maps to; an unknown value maps to <see cref="HpcException"/>
    /// naming the number.</summary>
    public static HpcException ToException(hpc_status status, string message) => status switch
    {
        hpc_status.HPC_STATUS_INVALID_ARGUMENT => new HpcInvalidArgumentException(message),
        hpc_status.HPC_STATUS_OUT_OF_MEMORY => new HpcOutOfMemoryException(message),
        hpc_status.HPC_STATUS_UNSUPPORTED => new HpcUnsupportedException(message),
        hpc_status.HPC_STATUS_NUMERICAL_ERROR => new HpcNumericalException(message),
        hpc_status.HPC_STATUS_INTERNAL_ERROR => new HpcInternalException(message),
        hpc_status.HPC_STATUS_OK => throw new ArgumentException("HPC_STATUS_OK is not a failure", nameof(status)),
        _ => new HpcException(status, $"native status {(int)status} (unknown to these bindings): {message}"),
    };

    /// <summary>The library's message for the last failure: the context's, or the thread's when
    /// <paramref name="ctx"/> is null, invalid or closed.</summary>
    public static string LastError(ContextHandle? ctx)
    {
        sbyte* text = ctx is { IsInvalid: false, IsClosed: false }
            ? Native.hpc_ctx_last_error(ctx.Pointer)
            : Native.hpc_last_error();
        return Marshal.PtrToStringUTF8((IntPtr)text) ?? "";
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(hpc_status status, ContextHandle? ctx)
    {
        var message = LastError(ctx);
        if (message.Length == 0) message = $"{Name(status)} (the library gave no message)";
        throw ToException(status, message);
    }

    private static string Name(hpc_status status) =>
        Enum.IsDefined(status) ? status.ToString() : $"status {(int)status}";
}
