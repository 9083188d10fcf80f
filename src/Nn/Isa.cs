namespace Hpc.Nn;

/// <summary>Instruction-set path of a <see cref="Context"/>; values match the native hpc_isa.</summary>
public enum Isa
{
    /// <summary>The best path the CPU supports (or the HPC_ISA environment variable).</summary>
    Auto = 0,
    /// <summary>Plain C: the reference every other path is tested against.</summary>
    Scalar = 1,
    /// <summary>AVX2 + FMA.</summary>
    Avx2 = 2,
    /// <summary>AVX-512 F/BW/DQ/VL.</summary>
    Avx512 = 3,
    /// <summary>OpenBLAS for GEMM (when the native library was built with it); other kernels use the best SIMD path.</summary>
    OpenBlas = 4,
}
