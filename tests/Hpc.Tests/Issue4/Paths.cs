using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Issue4;

/// <summary>The ISA paths the issue 4 tests compare: scalar (the reference), avx2, avx512, openblas.
/// A path this machine lacks runs as the best one it has, so the test still exercises something.</summary>
internal static class Paths
{
    public static readonly Isa[] All = [Isa.Scalar, Isa.Avx2, Isa.Avx512, Isa.OpenBlas];

    public static TheoryData<Isa> Theory()
    {
        var d = new TheoryData<Isa>();
        foreach (var isa in All) d.Add(isa);
        return d;
    }

    public static Context Open(Isa isa) => new(Context.IsSupported(isa) ? isa : Isa.Auto);

    /// <summary>|a - b| &lt;= atol + rtol |b| elementwise, with the first offending index in the message.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (!(Math.Abs(a - e) <= atol + rtol * Math.Abs(e)))
                Xunit.Assert.Fail($"{what}[{i}]: expected {e:R}, got {a:R}");
        }
    }
}
