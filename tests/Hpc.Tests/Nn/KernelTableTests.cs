using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Nn;

public class KernelTableTests
{
    [Fact]
    public void IsaNamesComeFromTheNativeLibraryAndRoundTrip()
    {
        Assert.Equal(["auto", "scalar", "avx2", "avx512", "openblas"], Context.IsaNames);
        foreach (var isa in Context.AllIsas)
            Assert.Equal(isa, Context.ParseIsa(Context.IsaName(isa).ToUpperInvariant()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Context.IsaName((Isa)42));
    }

    [Fact]
    public void ScalarPathRunsScalarCodeOrTheGeneralFallback()
    {
        using var ctx = new Context(Isa.Scalar);
        var kernels = ctx.Kernels;
        Assert.NotEmpty(kernels);
        Assert.All(kernels, k => Assert.Contains(k.Implementation, new[] { "scalar", "none" }));
        Assert.All(kernels, k => Assert.Null(k.StandIn));
        Assert.Equal("none", kernels.Single(k => k.Slot == "conv_direct").Implementation);
    }

    [Fact]
    public void EverySupportedPathRunsItsOwnCodeOrSaysWhichStandsIn()
    {
        foreach (var isa in new[] { Isa.Scalar, Isa.Avx2, Isa.Avx512 }.Where(Context.IsSupported))
        {
            using var ctx = new Context(isa);
            string path = Context.IsaName(isa);
            foreach (var k in ctx.Kernels)
                Assert.True(k.Implementation == path || k.Implementation == "none" || k.StandIn is { Length: > 0 },
                    $"{path}: {k.Slot} runs {k.Implementation} code without a stand-in reason");
        }
    }
}
