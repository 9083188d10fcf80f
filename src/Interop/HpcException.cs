namespace Hpc.Interop;

/// <summary>A native call failed. <see cref="Status"/> is the hpc_status it returned and the
/// message is the library's own (it names the offending argument). Subclasses exist per status so
/// callers can catch the kinds they can handle.</summary>
public class HpcException : Exception
{
    public HpcException(hpc_status status, string message) : base(message) => Status = status;

    public hpc_status Status { get; }
}

/// <summary>HPC_STATUS_INVALID_ARGUMENT: a null pointer, negative size, overflowing product or mismatched shape.</summary>
public sealed class HpcInvalidArgumentException(string message)
    : HpcException(hpc_status.HPC_STATUS_INVALID_ARGUMENT, message);

/// <summary>HPC_STATUS_OUT_OF_MEMORY: a native allocation failed.</summary>
public sealed class HpcOutOfMemoryException(string message)
    : HpcException(hpc_status.HPC_STATUS_OUT_OF_MEMORY, message);

/// <summary>HPC_STATUS_UNSUPPORTED: valid, but this CPU or build cannot serve it (e.g. a missing ISA).</summary>
public sealed class HpcUnsupportedException(string message)
    : HpcException(hpc_status.HPC_STATUS_UNSUPPORTED, message);

/// <summary>HPC_STATUS_NUMERICAL_ERROR: a non-finite value where a finite one was required.</summary>
public sealed class HpcNumericalException(string message)
    : HpcException(hpc_status.HPC_STATUS_NUMERICAL_ERROR, message);

/// <summary>HPC_STATUS_INTERNAL_ERROR: a bug in the native library.</summary>
public sealed class HpcInternalException(string message)
    : HpcException(hpc_status.HPC_STATUS_INTERNAL_ERROR, message);
