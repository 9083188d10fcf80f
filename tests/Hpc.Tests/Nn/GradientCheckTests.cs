using Hpc.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Nn;

/// <summary>Every layer and loss against central differences (objective accumulated in double).</summary>
public class GradientCheckTests(ITestOutputHelper output)
{
    private void AssertAllPassed(IEnumerable<GradientCheckResult> results)
    {
        foreach (var r in results)
        {
            output.WriteLine(r.ToString());
            Assert.True(r.Passed, r.ToString());
        }
    }

    [Fact]
    public void Linear()
    {
        using var layer = new Linear(7, 5);
        Init.Apply(layer, InitScheme.XavierUniform, 3);
        Init.Uniform(layer.Bias!.Value.AsSpan(), 0.5, new Rng(4));
        using var x = Synthetic.RandomTensor(5, 1.0, 3, 7);
        AssertAllPassed(GradientCheck.CheckModule(layer, x, seed: 6, h: 1e-2, atol: 2e-4, rtol: 1e-2));
    }

    [Fact]
    public void LinearWithoutBiasOnARank4Input()
    {
        using var layer = new Linear(12, 3, bias: false);
        using var x = Synthetic.RandomTensor(7, 1.0, 2, 1, 3, 4);
        var results = GradientCheck.CheckModule(layer, x, seed: 8, h: 1e-2, atol: 2e-4);
        Assert.Equal(["input", "weight"], results.Select(r => r.Name));
        AssertAllPassed(results);
    }

    [Theory]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.ReLU)]
    [InlineData(ActivationKind.Identity)]
    public void Activation(ActivationKind kind)
    {
        using var layer = Hpc.Nn.Activation.Create(kind);
        using var x = Synthetic.RandomTensor(11, 3.0, 4, 9);
        // ReLU has a kink at 0: keep every input further than the step from it.
        var xs = x.AsSpan();
        for (int i = 0; i < xs.Length; i++)
            if (MathF.Abs(xs[i]) < 0.05f) xs[i] = xs[i] < 0 ? -0.05f - 0.1f * i / xs.Length : 0.05f + 0.1f * i / xs.Length;
        AssertAllPassed(GradientCheck.CheckModule(layer, x, seed: 12, h: 1e-2, atol: 2e-4, rtol: 1e-2));
    }

    [Fact]
    public void MlpEndToEnd()
    {
        using var net = Models.Mlp([6, 8, 5, 4], "tanh", "xavier-normal", seed: 13);
        using var x = Synthetic.RandomTensor(14, 1.0, 3, 6);
        var results = GradientCheck.CheckModule(net, x, seed: 15, h: 1e-2, atol: 3e-4, rtol: 2e-2);
        Assert.Equal(["input", "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], results.Select(r => r.Name));
        AssertAllPassed(results);
    }

    [Fact]
    public void CrossEntropyLoss()
    {
        var loss = new CrossEntropyLoss();
        using var logits = Synthetic.RandomTensor(21, 2.0, 5, 7);
        int[] labels = [0, 6, 3, 3, 1];
        loss.Forward(logits, labels);
        var analytic = loss.Backward().ToArray();
        var r = GradientCheck.Compare("logits", () => loss.Forward(logits, labels, computeGradient: false), logits, analytic,
            h: 1e-2, atol: 1e-4, rtol: 1e-2);
        output.WriteLine(r.ToString());
        Assert.True(r.Passed, r.ToString());
    }

    [Fact]
    public void MseLoss()
    {
        var loss = new MseLoss();
        using var pred = Synthetic.RandomTensor(31, 2.0, 4, 3);
        using var target = Synthetic.RandomTensor(32, 2.0, 4, 3);
        loss.Forward(pred, target);
        var analytic = loss.Backward().ToArray();
        var r = GradientCheck.Compare("prediction", () => loss.Forward(pred, target, computeGradient: false), pred, analytic,
            h: 1e-2, atol: 1e-4, rtol: 1e-2);
        output.WriteLine(r.ToString());
        Assert.True(r.Passed, r.ToString());
    }

    [Fact]
    public void TheCheckerCatchesAWrongGradient()
    {
        using var x = Tensor.FromArray([1f, 2f, 3f], 3);
        double F() { var s = x.AsSpan(); return (double)s[0] * s[0] + s[1] * s[2]; }
        var right = GradientCheck.Compare("x", F, x, [2f, 3f, 2f]);
        Assert.True(right.Passed, right.ToString());
        var wrong = GradientCheck.Compare("x", F, x, [2f, 3f, 2.1f]);
        Assert.False(wrong.Passed);
        Assert.Equal(2, wrong.WorstIndex);
    }
}
