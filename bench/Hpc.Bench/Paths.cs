using Hpc.Interop;
using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>
/// The ISA paths a benchmark compares, limited to those this CPU and build can run: asking for
/// one it lacks is an error, and a benchmark that always fails says nothing. Also the raw context
/// pointer the kernel benchmarks pass to the bindings.
/// </summary>
public static unsafe class Paths
{
    private static readonly Isa[] s_gemmPaths = [Isa.Scalar, Isa.Avx2, Isa.Avx512, Isa.OpenBlas];

    /// <summary>scalar, avx2, avx512, openblas: those supported here, in that order.</summary>
    public static IEnumerable<Isa> Gemm() => s_gemmPaths.Where(Context.IsSupported);

    /// <summary>The SIMD paths (and scalar) for kernels that have no OpenBLAS variant.</summary>
    public static IEnumerable<Isa> Kernels() => Gemm().Where(i => i != Isa.OpenBlas);

    /// <summary>The path AUTO resolves to plus OpenBLAS when built: the end-to-end comparisons.</summary>
    public static IEnumerable<Isa> EndToEnd()
    {
        using var probe = new Context();
        yield return probe.Isa;
        if (Context.IsSupported(Isa.OpenBlas)) yield return Isa.OpenBlas;
    }

    public static hpc_ctx* Raw(Context ctx) => (hpc_ctx*)ctx.Handle.DangerousGetHandle();

    /// <summary>Throws with the context's message when a raw call failed: a benchmark of an error
    /// path would be timing the wrong thing.</summary>
    public static void Check(hpc_status status, Context ctx)
    {
        if (status != hpc_status.HPC_STATUS_OK) Status.Check(status, ctx.Handle);
    }
}
