using Hpc.Nn;
using Xunit;

namespace Hpc.Tests;

/// <summary>
/// The ISA paths a test compares: scalar (the reference), avx2, avx512, openblas. A path this CPU
/// lacks is reported as SKIPPED, never re-run as another path: tests that take an <see cref="Isa"/>
/// row are [SkippableTheory] and open their context with <see cref="Open"/> (or call
/// <see cref="RequireSupported"/> first). Under a plain [Theory] the skip surfaces as a failure, so a
/// test that forgets the attribute cannot pass silently either.
/// </summary>
public static class IsaPaths
{
    public static readonly Isa[] All = [Isa.Scalar, Isa.Avx2, Isa.Avx512, Isa.OpenBlas];

    /// <summary>Every path except the scalar reference (the rows an agreement test compares with it).</summary>
    public static readonly Isa[] Accelerated = [Isa.Avx2, Isa.Avx512, Isa.OpenBlas];

    public static TheoryData<Isa> Theory()
    {
        var d = new TheoryData<Isa>();
        foreach (var isa in All) d.Add(isa);
        return d;
    }

    /// <summary>Skips the running test when this CPU or build lacks <paramref name="isa"/>.</summary>
    public static void RequireSupported(Isa isa) =>
        Skip.IfNot(Context.IsSupported(isa), $"{Context.IsaName(isa)} is not available on this machine");

    /// <summary>A context on exactly <paramref name="isa"/>, or a skip when the machine lacks it.</summary>
    public static Context Open(Isa isa)
    {
        RequireSupported(isa);
        var ctx = new Context(isa);
        Assert.Equal(isa, ctx.Isa);
        return ctx;
    }

    /// <summary>|a - b| &lt;= atol + rtol |b| elementwise, with the first offending index in the message.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (!(Math.Abs(a - e) <= atol + rtol * Math.Abs(e)))
                Assert.Fail($"{what}[{i}]: expected {e:R}, got {a:R}");
        }
    }
}
