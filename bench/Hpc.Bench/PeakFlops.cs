using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace Hpc.Bench;

/// <summary>
/// The machine's measured FMA peak, so every GEMM and conv figure can be read as a fraction of it:
/// twelve independent chains of vfmadd (enough to cover the FMA latency on two ports), AVX2
/// (256-bit) and AVX-512 (512-bit, only where the CPU has it), on 1 and 2 threads (one chain set
/// per thread, started and joined by a barrier so each thread does the same work).
/// </summary>
public class PeakFlops
{
    /// <summary>FMA instructions per chain per call: about 2 ms of work at 100 GFLOP/s.</summary>
    public const long Iterations = 1 << 20;
    private const int Chains = 12;

    [ParamsSource(nameof(Cases))] public PeakCase Case = null!;

    public static IEnumerable<PeakCase> Cases()
    {
        foreach (int threads in new[] { 1, 2 })
        {
            if (Fma.IsSupported) yield return new PeakCase(256, threads);
            if (Avx512F.IsSupported) yield return new PeakCase(512, threads);
        }
    }

    private Gang _gang = null!;
    private float _sink;

    [GlobalSetup]
    public void Setup()
    {
        Action body = Case.Width == 512 ? () => Sink(Fma512(Iterations)) : () => Sink(Fma256(Iterations));
        _gang = new Gang(Case.Threads, body);
    }

    [Benchmark]
    public void FmaLoop() => _gang.Run();

    [GlobalCleanup]
    public void Cleanup() => _gang.Dispose();

    private void Sink(float v) => Volatile.Write(ref _sink, v);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Fma256(long iterations)
    {
        var b = Vector256.Create(0.99999994f);
        var c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(0.10f), a1 = Vector256.Create(0.11f), a2 = Vector256.Create(0.12f),
            a3 = Vector256.Create(0.13f), a4 = Vector256.Create(0.14f), a5 = Vector256.Create(0.15f),
            a6 = Vector256.Create(0.16f), a7 = Vector256.Create(0.17f), a8 = Vector256.Create(0.18f),
            a9 = Vector256.Create(0.19f), a10 = Vector256.Create(0.20f), a11 = Vector256.Create(0.21f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, b, c);
            a1 = Fma.MultiplyAdd(a1, b, c);
            a2 = Fma.MultiplyAdd(a2, b, c);
            a3 = Fma.MultiplyAdd(a3, b, c);
            a4 = Fma.MultiplyAdd(a4, b, c);
            a5 = Fma.MultiplyAdd(a5, b, c);
            a6 = Fma.MultiplyAdd(a6, b, c);
            a7 = Fma.MultiplyAdd(a7, b, c);
            a8 = Fma.MultiplyAdd(a8, b, c);
            a9 = Fma.MultiplyAdd(a9, b, c);
            a10 = Fma.MultiplyAdd(a10, b, c);
            a11 = Fma.MultiplyAdd(a11, b, c);
        }
        var s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
        return Vector256.Sum(s);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Fma512(long iterations)
    {
        var b = Vector512.Create(0.99999994f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(0.10f), a1 = Vector512.Create(0.11f), a2 = Vector512.Create(0.12f),
            a3 = Vector512.Create(0.13f), a4 = Vector512.Create(0.14f), a5 = Vector512.Create(0.15f),
            a6 = Vector512.Create(0.16f), a7 = Vector512.Create(0.17f), a8 = Vector512.Create(0.18f),
            a9 = Vector512.Create(0.19f), a10 = Vector512.Create(0.20f), a11 = Vector512.Create(0.21f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, b, c);
            a1 = Avx512F.FusedMultiplyAdd(a1, b, c);
            a2 = Avx512F.FusedMultiplyAdd(a2, b, c);
            a3 = Avx512F.FusedMultiplyAdd(a3, b, c);
            a4 = Avx512F.FusedMultiplyAdd(a4, b, c);
            a5 = Avx512F.FusedMultiplyAdd(a5, b, c);
            a6 = Avx512F.FusedMultiplyAdd(a6, b, c);
            a7 = Avx512F.FusedMultiplyAdd(a7, b, c);
            a8 = Avx512F.FusedMultiplyAdd(a8, b, c);
            a9 = Avx512F.FusedMultiplyAdd(a9, b, c);
            a10 = Avx512F.FusedMultiplyAdd(a10, b, c);
            a11 = Avx512F.FusedMultiplyAdd(a11, b, c);
        }
        var s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
        return Vector512.Sum(s);
    }

    /// <summary>Vector width in bits and thread count of one peak measurement.</summary>
    public sealed record PeakCase(int Width, int Threads) : IFlopCount, IComparable<PeakCase>, IComparable
    {
        public double Flops => (double)Threads * Iterations * Chains * (Width / 32) * 2;
        public override string ToString() => $"{(Width == 512 ? "avx512" : "avx2")} x{Threads}";
        public int CompareTo(PeakCase? o) => o is null ? 1 : (Threads, Width).CompareTo((o.Threads, o.Width));
        public int CompareTo(object? obj) => CompareTo(obj as PeakCase);
    }
}
