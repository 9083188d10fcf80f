using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Nn;

public class OptimizerAndInitTests
{
    [Fact]
    public void SgdMomentumAndWeightDecayFollowTheFormulaAndSkipBiases()
    {
        using var layer = new Linear(2, 1);
        layer.Weight.Value.CopyFrom([1f, -2f]);
        layer.Bias!.Value.CopyFrom([0.5f]);
        layer.Weight.Grad.CopyFrom([0.1f, 0.2f]);
        layer.Bias.Grad.CopyFrom([0.3f]);
        using var sgd = new Sgd(layer.Parameters(), lr: 0.1f, momentum: 0.9f, weightDecay: 0.01f);
        sgd.Step();
        sgd.Step();
        // Two steps of g' = g + wd w; v = m v + g'; w -= lr v with the same gradient each time.
        double w = 1, v = 0, b = 0.5, vb = 0;
        for (int s = 0; s < 2; s++)
        {
            v = 0.9 * v + (0.1 + 0.01 * w); w -= 0.1 * v;
            vb = 0.9 * vb + 0.3; b -= 0.1 * vb; // bias: no decay
        }
        Assert.Equal(w, layer.Weight.Value[0, 0], 1e-6);
        Assert.Equal(b, layer.Bias.Value[0], 1e-6);
    }

    [Fact]
    public void RngIsReproducibleAndUniform()
    {
        var a = new Rng(123);
        var b = new Rng(123);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var r = new Rng(1);
        var counts = new int[10];
        for (int i = 0; i < 100_000; i++) counts[r.NextInt(10)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Theory]
    [InlineData(InitScheme.XavierUniform, 2.0 / (400 + 100))]
    [InlineData(InitScheme.XavierNormal, 2.0 / (400 + 100))]
    [InlineData(InitScheme.HeUniform, 2.0 / 400)]
    [InlineData(InitScheme.HeNormal, 2.0 / 400)]
    [InlineData(InitScheme.LeCunNormal, 1.0 / 400)]
    [InlineData(InitScheme.LeCunUniform, 1.0 / 400)]
    [InlineData(InitScheme.PyTorchDefault, 1.0 / (3 * 400))]
    public void InitSchemesHaveTheirVariance(InitScheme scheme, double variance)
    {
        using var layer = new Linear(400, 100);
        Init.Apply(layer, scheme, seed: 77);
        var w = layer.Weight.Value.ToArray();
        double mean = w.Average(v => (double)v);
        double var = w.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.01 * Math.Sqrt(variance) * 10, 0.01 * Math.Sqrt(variance) * 10);
        Assert.InRange(var / variance, 0.97, 1.03); // 40,000 samples: ~0.7% standard error
        using var again = new Linear(400, 100);
        Init.Apply(again, scheme, seed: 77);
        Assert.Equal(w, again.Weight.Value.ToArray());
    }

    [Fact]
    public void ParsersNameTheBadValue()
    {
        Assert.Equal(InitScheme.HeNormal, Init.Parse("kaiming_normal"));
        Assert.Contains("'bogus'", Assert.Throws<ArgumentException>(() => Init.Parse("bogus")).Message);
        Assert.Equal(ActivationKind.Sigmoid, Hpc.Nn.Activation.Parse("Logistic"));
        Assert.Contains("'swish'", Assert.Throws<ArgumentException>(() => Hpc.Nn.Activation.Parse("swish")).Message);
    }

    [Fact]
    public void SequentialNamesParametersByPosition()
    {
        using var net = Models.Mlp([4, 3, 2]);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], net.Parameters().Select(p => p.Name));
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2, net.ParameterCount());
    }
}
