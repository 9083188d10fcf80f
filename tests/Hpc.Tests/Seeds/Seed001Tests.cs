using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Seeds;

/// <summary>Worked numbers of seed 001 (perceptron walk-through, sigmoid slopes, softmax example).</summary>
public class Seed001Tests
{
    private static readonly float[][] Inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];

    /// <summary>
    /// Section 7.1: w = [0.6, -0.2], b = -0.1, examples in the order the notes visit them. The notes'
    /// text writes the bias rule "b = b + E t" but their numbers follow b += E: they end at
    /// w = [0.6, 0.8], b = -0.1, which only b += E reaches.
    /// </summary>
    [Fact]
    public void PerceptronOrWalkThroughOfSection71()
    {
        var p = new Perceptron([0.6f, -0.2f], -0.1f);

        Assert.Equal(0.5f, p.Net([1, 0]), 6);
        Assert.Equal(0, p.Train([1, 0], 1));                       // sigma(0.5) = 1: E = 0
        Assert.Equal([0.6f, -0.2f], p.Weights.ToArray());

        Assert.Equal(-0.3f, p.Net([0, 1]), 6);
        Assert.Equal(1, p.Train([0, 1], 1));                       // sigma(-0.3) = 0: E = 1
        Assert.Equal(0.6f, p.Weights[0], 6);
        Assert.Equal(0.8f, p.Weights[1], 6);                       // w = [0.6, -0.2] + 1 [0, 1]
        Assert.Equal(0.9f, p.Bias, 6);                             // b = -0.1 + 1

        Assert.Equal(0.9f, p.Net([0, 0]), 6);
        Assert.Equal(-1, p.Train([0, 0], 0));                      // sigma(0.9) = 1: E = -1; x = 0 leaves w
        Assert.Equal(0.6f, p.Weights[0], 6);
        Assert.Equal(0.8f, p.Weights[1], 6);
        Assert.Equal(-0.1f, p.Bias, 6);

        Assert.Equal(1.3f, p.Net([1, 1]), 5);
        Assert.Equal(0, p.Train([1, 1], 1));                       // E = 0

        // "when w = [0.6, 0.8] and b = -0.1 this neuron satisfies our desired behaviour"
        Assert.Equal(0, p.Errors(Inputs, [0, 1, 1, 1]));
    }

    [Fact]
    public void PerceptronLearnsOrAndAnd()
    {
        var or = new Perceptron([0.6f, -0.2f], -0.1f);
        var fitOr = or.Fit(Inputs, [0, 1, 1, 1]);
        Assert.True(fitOr.Converged);
        Assert.Equal(0, or.Errors(Inputs, [0, 1, 1, 1]));

        var and = new Perceptron([0.6f, -0.2f], -0.1f);
        var fitAnd = and.Fit(Inputs, [0, 0, 0, 1], maxEpochs: 50);
        Assert.True(fitAnd.Converged, $"AND not learned: errors per epoch {string.Join(",", fitAnd.ErrorsPerEpoch)}");
        Assert.Equal(0, and.Errors(Inputs, [0, 0, 0, 1]));
        Assert.True(fitAnd.Epochs > 1);
    }

    /// <summary>XOR is not linearly separable: from any start the rule keeps making mistakes.</summary>
    [SkippableTheory]
    [InlineData(0.6f, -0.2f, -0.1f)]
    [InlineData(0f, 0f, 0f)]
    [InlineData(-1f, 2f, 0.5f)]
    public void PerceptronNeverReachesZeroErrorOnXor(float w0, float w1, float b)
    {
        int[] xor = [0, 1, 1, 0];
        var p = new Perceptron([w0, w1], b);
        var fit = p.Fit(Inputs, xor, maxEpochs: 1000);
        Assert.False(fit.Converged);
        Assert.All(fit.ErrorsPerEpoch, e => Assert.True(e > 0));
        Assert.True(p.Errors(Inputs, xor) > 0);
    }

    /// <summary>The notes' logistic slopes: sigma'(5) = 0.0066 and sigma'(0.1) = 0.249, via the native sigmoid backward.</summary>
    [SkippableTheory]
    [MemberData(nameof(Isas))]
    public void SigmoidSlopesOfSection13(Isa isa)
    {
        using var ctx = IsaPaths.Open(isa);
        using var sig = new Sigmoid(ctx);
        using var z = Tensor.FromArray([5f, 0.1f, 4f], 1, 3);
        var y = sig.Forward(z, training: true).ToArray();
        using var ones = Tensor.FromArray([1f, 1f, 1f], 1, 3);
        var d = sig.Backward(ones).ToArray();
        Assert.Equal(0.0066, d[0], 4);
        Assert.Equal(0.249, d[1], 3);
        Assert.Equal(0.525, y[1], 3);
        Assert.Equal(0.982, y[2], 3);
        Assert.Equal(0.0177, d[2], 4);
        Assert.True(d[1] / d[0] > 37 && d[1] / d[0] < 38.5); // "almost 40 times larger"
    }

    /// <summary>Example 6.1: softmax (0.6, 3.4, -1.2, 0.05) ~ (0.06, 0.9, 0.009, 0.031), through the Softmax layer.</summary>
    [SkippableTheory]
    [MemberData(nameof(Isas))]
    public void SoftmaxExample61(Isa isa)
    {
        using var ctx = IsaPaths.Open(isa);
        using var sm = new Softmax(ctx);
        using var z = Tensor.FromArray([0.6f, 3.4f, -1.2f, 0.05f], 1, 4);
        var y = sm.Forward(z, training: false).ToArray();
        // The notes round loosely (exact: 0.0550, 0.9042, 0.0091, 0.0317, so their 0.06 is 0.055 rounded up).
        IsaPaths.Close([0.06f, 0.9f, 0.009f, 0.031f], y, 0.0051, 0, "softmax");
        IsaPaths.Close([0.054985f, 0.904203f, 0.009089f, 0.031723f], y, 2e-5, 0, "exact softmax");
        Assert.Equal(1.0, y.Sum(), 5);
    }

    /// <summary>Section 8.1: central differences (f(theta + d) - f(theta - d)) / 2d on the notes' numbers.</summary>
    [Fact]
    public void FiniteDifferenceExampleOfSection81()
    {
        // The notes' printed errors (their network is only a diagram, so E is their table):
        // E(-0.01) = 0.24113, E(0.49) = 0.240761, E(-0.51) = 0.24150, with delta = 0.5.
        var printed = new Dictionary<float, double> { [-0.01f] = 0.24113, [0.49f] = 0.240761, [-0.51f] = 0.24150 };
        using var theta = Tensor.FromArray([-0.01f], 1);
        double E() => printed[printed.Keys.MinBy(k => Math.Abs(k - theta[0]))];
        // (0.240761 - 0.24150) / (2 * 0.5) = -0.000739; the printed errors' rounding (half a unit of their last
        // digits) bounds it to [-0.0007445, -0.0007335]. The notes print -0.0007475, outside that interval: a slip in
        // their arithmetic, so the test holds the library to the value their own errors give.
        var r = GradientCheck.Compare("theta", E, theta, [-0.000739f], h: 0.5, atol: 1e-9, rtol: 1e-6);
        Assert.True(r.Passed, r.ToString());
        Assert.Equal(-0.000739, r.WorstNumeric, 9);
        Assert.True(r.WorstNumeric < 0 && printed[0.49f] < printed[-0.01f] && printed[-0.01f] < printed[-0.51f],
            "the error falls as theta rises, so the step theta - k dE/dtheta increases theta");
    }

    public static TheoryData<Isa> Isas() => IsaPaths.Theory();
}
