using Hpc.Nn;
using Hpc.Tests.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Conv;

/// <summary>Conv2d, MaxPool2d, AvgPool2d, Flatten and a small CNN against central differences.</summary>
public class ConvGradientCheckTests(ITestOutputHelper output)
{
    private void AssertAllPassed(IReadOnlyList<GradientCheckResult> results, int expectedCount)
    {
        Assert.Equal(expectedCount, results.Count);
        foreach (var r in results)
        {
            output.WriteLine(r.ToString());
            Assert.True(r.Passed, r.ToString());
        }
    }

    [Theory]
    // C, K, H, W, kernel, stride, pad, dilation, bias
    [InlineData(1, 1, 5, 5, 3, 1, 0, 1, true)]
    [InlineData(3, 4, 7, 6, 3, 2, 1, 1, true)]
    [InlineData(2, 3, 8, 9, 3, 1, 2, 2, false)]
    [InlineData(5, 2, 6, 7, 2, 3, 1, 1, true)]
    [InlineData(4, 6, 5, 5, 1, 1, 0, 1, true)]   // 1x1: the kernels' no-im2col path
    [InlineData(2, 3, 9, 4, 5, 2, 2, 1, true)]
    public void Conv2dGradients(int c, int k, int h, int w, int kernel, int stride, int pad, int dilation, bool bias)
    {
        using var layer = new Conv2d(c, k, kernel, stride, pad, dilation, bias);
        layer.ResetParameters(InitScheme.XavierUniform, new Rng(21));
        if (layer.Bias is not null) Init.Uniform(layer.Bias.Value.AsSpan(), 0.5, new Rng(22));
        using var x = Synthetic.RandomTensor(23, 1.0, 2, c, h, w);
        AssertAllPassed(GradientCheck.CheckModule(layer, x, seed: 24, h: 1e-2, atol: 5e-4, rtol: 1e-2), bias ? 3 : 2);
    }

    [Fact]
    public void Conv2dWithRectangularGeometryAndFusedTanh()
    {
        using var layer = new Conv2d(3, 2, kernel: (2, 3), stride: (1, 2), padding: (1, 0), dilation: (2, 1), activation: ActivationKind.Tanh);
        layer.ResetParameters(InitScheme.XavierUniform, new Rng(31));
        using var x = Synthetic.RandomTensor(32, 1.0, 2, 3, 6, 7);
        AssertAllPassed(GradientCheck.CheckModule(layer, x, seed: 33, h: 1e-2, atol: 5e-4, rtol: 1e-2), 3);
    }

    [Fact]
    public void Conv2dReadsFlatRowsWithItsInputShape()
    {
        using var layer = new Conv2d(2, 3, 3, padding: 1) { InputShape = new ImageShape(2, 5, 4) };
        layer.ResetParameters(InitScheme.HeUniform, new Rng(41));
        using var x = Synthetic.RandomTensor(42, 1.0, 3, 40);
        var y = layer.Forward(x, training: true);
        Assert.Equal([3, 3, 5, 4], y.ShapeArray());
        AssertAllPassed(GradientCheck.CheckModule(layer, x, seed: 43, h: 1e-2, atol: 5e-4, rtol: 1e-2), 3);
    }

    [Theory]
    // window, stride, pad
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 1, 0)]
    public void MaxPoolGradients(int window, int stride, int pad)
    {
        using var layer = new MaxPool2d(window, stride, pad);
        using var x = DistinctValues(51, 2, 3, 7, 6);
        AssertAllPassed(GradientCheck.CheckModule(layer, x, seed: 52, h: 1e-2, atol: 2e-4, rtol: 1e-2), 1);
    }

    [Theory]
    [InlineData(2, 2, 0, true)]
    [InlineData(3, 2, 1, true)]
    [InlineData(3, 2, 1, false)]
    [InlineData(2, 1, 1, false)]
    public void AvgPoolGradients(int window, int stride, int pad, bool countIncludePad)
    {
        using var layer = new AvgPool2d(window, stride, pad, countIncludePad);
        using var x = Synthetic.RandomTensor(61, 1.0, 2, 3, 7, 6);
        AssertAllPassed(GradientCheck.CheckModule(layer, x, seed: 62, h: 1e-2, atol: 2e-4, rtol: 1e-2), 1);
    }

    [Fact]
    public void FlattenGradientKeepsTheInputShape()
    {
        using var layer = new Flatten();
        using var x = Synthetic.RandomTensor(71, 1.0, 3, 2, 4, 5);
        var y = layer.Forward(x, training: true);
        Assert.Equal([3, 40], y.ShapeArray());
        Assert.Equal(x.ToArray(), y.ToArray());
        using var dy = Synthetic.RandomTensor(72, 1.0, 3, 40);
        var dx = layer.Backward(dy);
        Assert.Equal([3, 2, 4, 5], dx.ShapeArray());
        Assert.Equal(dy.ToArray(), dx.ToArray());
        AssertAllPassed(GradientCheck.CheckModule(layer, x, seed: 73, h: 1e-2, atol: 2e-4, rtol: 1e-2), 1);
    }

    [Fact]
    public void SmallCnnFromASpec()
    {
        // Every layer kind in one network; sigmoid/tanh rather than ReLU keep it smooth for differences.
        var spec = ModelSpec.Parse("""
            input 2x9x8
            conv 3 3x3 pad=1
            tanh
            maxpool 2 stride=2 pad=1
            conv 4 2x2 stride=1 dilation=2
            sigmoid
            avgpool 2 count_pad=false
            flatten
            linear 5
            """);
        using var net = spec.Build(seed: 81, InitScheme.XavierUniform, fuseActivations: false);
        using var x = Synthetic.RandomTensor(82, 1.0, 2, 2, 9, 8);
        // Deterministic seeds: no max-pool window of this input has two values within 2h of each other.
        AssertAllPassed(GradientCheck.CheckModule(net, x, seed: 83, h: 1e-3, atol: 5e-4, rtol: 2e-2), 7);
    }

    [Fact]
    public void FirstLayerSkipsBackwardDataButStillWritesWeightGradients()
    {
        using var a = new Conv2d(3, 4, 3, padding: 1);
        using var b = new Conv2d(3, 4, 3, padding: 1) { NeedsInputGradient = false };
        a.ResetParameters(InitScheme.HeNormal, new Rng(91));
        b.ResetParameters(InitScheme.HeNormal, new Rng(91));
        using var x = Synthetic.RandomTensor(92, 1.0, 2, 3, 5, 5);
        using var dy = Synthetic.RandomTensor(93, 1.0, 2, 4, 5, 5);
        a.Forward(x, true);
        b.Forward(x, true);
        Assert.NotNull(a.Backward(dy, computeInputGradient: true));
        Assert.Null(b.Backward(dy, computeInputGradient: true));
        Assert.Equal(a.Weight.Grad.ToArray(), b.Weight.Grad.ToArray());
        Assert.Equal(a.Bias!.Grad.ToArray(), b.Bias!.Grad.ToArray());
    }

    /// <summary>Values at least 0.02 apart in random order, so a step of 1e-2 never changes a max.</summary>
    private static Tensor DistinctValues(ulong seed, params int[] shape)
    {
        var t = new Tensor(shape);
        var s = t.AsSpan();
        for (int i = 0; i < s.Length; i++) s[i] = (i - s.Length / 2) * 0.02f;
        new Rng(seed).Shuffle(s);
        return t;
    }
}
