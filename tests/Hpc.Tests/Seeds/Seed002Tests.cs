using Hpc.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Seeds;

/// <summary>
/// Worked numbers of seed 002: the power-plant regression (Tables 3-12), the softmax deltas of
/// Table 15 with eq. 82-83, the initialisation variance of eq. 59-60, PReLU (eq. 47-51).
/// </summary>
public class Seed002Tests(ITestOutputHelper output)
{
    // Table 3: range-normalised (temperature, humidity) -> electrical output.
    private static readonly float[] X = [0.04f, 0.81f, 0.84f, 0.58f, 0.50f, 0.07f, 0.53f, 1.00f];
    private static readonly float[] T = [0.94f, 0.13f, 0.57f, 0.36f];

    /// <summary>
    /// The initial weights of the notes' Figure 4 network (the figure itself is not in the text):
    /// recovered from Table 5 (z3, z4, z5 of d2), eq. 33-37 (w6, w7, w8), Tables 6-7 and 10. Neuron
    /// 3 = (b 0.10, -0.20, 0.11), neuron 5 = (0.04, 0.11, -0.02), w6 = (0.15; -0.04, 0.10, 0.06),
    /// w7 = (0.12; 0.20, 0.14, -0.09), w8 = (0.10; 0.12, -0.50). Neuron 4 is pinned only up to a
    /// one-parameter family by the printed (rounded) numbers; (-0.21; 0.10, -0.11) is in it and
    /// reproduces every printed value, Table 8's included.
    /// </summary>
    internal static Sequential PowerPlantNet(bool relu, Context ctx)
    {
        Module Act() => relu ? new ReLU(ctx) : new Sigmoid(ctx);
        var l1 = new Linear(2, 3, true, ctx);
        var l2 = new Linear(3, 2, true, ctx);
        var l3 = new Linear(2, 1, true, ctx);
        l1.Weight.Value.CopyFrom([-0.20f, 0.11f, 0.10f, -0.11f, 0.11f, -0.02f]);
        l1.Bias!.Value.CopyFrom([0.10f, -0.21f, 0.04f]);
        l2.Weight.Value.CopyFrom([-0.04f, 0.10f, 0.06f, 0.20f, 0.14f, -0.09f]);
        l2.Bias!.Value.CopyFrom([0.15f, 0.12f]);
        l3.Weight.Value.CopyFrom([0.12f, -0.50f]);
        l3.Bias!.Value.CopyFrom([0.10f]);
        return new Sequential(ctx, l1, Act(), l2, Act(), l3, Act());
    }

    [SkippableTheory]
    [MemberData(nameof(Isas))]
    public void ForwardPassMatchesTables4And10(Isa isa)
    {
        using var ctx = IsaPaths.Open(isa);
        using var x = Tensor.FromArray(X, 4, 2);
        using var t = Tensor.FromArray(T, 4, 1);
        using var logistic = PowerPlantNet(relu: false, ctx);
        var loss = new SseLoss(ctx);
        var p = logistic.Forward(x, training: false);
        IsaPaths.Close([0.4715f, 0.4718f, 0.4717f, 0.4716f], p.ToArray(), 6e-5, 0, "Table 4 prediction");
        Assert.Equal(0.17921847, loss.Forward(p, t, computeGradient: false), 4);

        using var rectified = PowerPlantNet(relu: true, ctx);
        var pr = rectified.Forward(x, training: false);
        IsaPaths.Close([0.0405f, 0.0643f, 0.0621f, 0.0512f], pr.ToArray(), 6e-5, 0, "Table 10 prediction");
        Assert.Equal(0.58336829, loss.Forward(pr, t, computeGradient: false), 3);
    }

    /// <summary>One full-batch step (alpha = 0.2, Delta w summed over the four examples): Table 7 and eq. 39, then Table 8.</summary>
    [SkippableTheory]
    [MemberData(nameof(Isas))]
    public void OneBatchUpdateMatchesTable7AndEquation39(Isa isa)
    {
        using var ctx = IsaPaths.Open(isa);
        using var x = Tensor.FromArray(X, 4, 2);
        using var t = Tensor.FromArray(T, 4, 1);
        using var net = PowerPlantNet(relu: false, ctx);
        var loss = new SseLoss(ctx);
        loss.Forward(net.Forward(x, training: true), t);
        net.Backward(loss.Backward(), computeInputGradient: false);
        var l2 = (Linear)net.Layers[2];
        // w_{7,5}: unit 7 is row 1 of the second Linear, input a5 is column 2.
        // The notes sum per-example products of 4-digit deltas and activations; exact is 0.0015246.
        Assert.InRange(l2.Weight.Grad[1, 2], 0.00153726 - 2e-5, 0.00153726 + 2e-5);
        using var sgd = new Sgd(net.Parameters(), lr: 0.2f, ctx: ctx);
        sgd.Step();
        Assert.InRange(l2.Weight.Value[1, 2], -0.0903074520 - 5e-6, -0.0903074520 + 5e-6);
        var p = net.Forward(x, training: false);
        IsaPaths.Close([0.4738f, 0.4741f, 0.4740f, 0.4739f], p.ToArray(), 6e-5, 0, "Table 8 prediction");
        Assert.Equal(0.17896823, loss.Forward(p, t, computeGradient: false), 4);
    }

    /// <summary>Tables 9 and 12: full-batch gradient descent with alpha = 0.2 reaches SSE &lt; 0.0001, logistic and ReLU.</summary>
    [SkippableTheory]
    [MemberData(nameof(NetsAndIsas))]
    public void TrainsToSseBelow1e4(bool relu, Isa isa)
    {
        using var ctx = IsaPaths.Open(isa);
        using var x = Tensor.FromArray(X, 4, 2);
        using var t = Tensor.FromArray(T, 4, 1);
        using var net = PowerPlantNet(relu, ctx);
        var loss = new SseLoss(ctx);
        using var sgd = new Sgd(net.Parameters(), lr: 0.2f, ctx: ctx);
        float first = float.NaN, sse = float.NaN;
        int epochs = 0;
        for (; epochs < 20000; epochs++)
        {
            sse = loss.Forward(net.Forward(x, training: true), t);
            if (epochs == 0) first = sse;
            if (sse < 0.0001f) break;   // the tables' SSE, like SseLoss, is 1/2 sum (t - y)^2 (Table 9: 0.00019784 / 2)
            net.Backward(loss.Backward(), computeInputGradient: false);
            sgd.Step();
        }
        var p = net.Forward(x, training: false).ToArray();
        output.WriteLine($"{(relu ? "ReLU" : "logistic")} on {Context.IsaName(ctx.Isa)}: SSE {first} -> {sse} after {epochs} epochs; predictions {string.Join(", ", p)}");
        Assert.True(sse < 0.0001f, $"SSE {sse} after {epochs} epochs");
        IsaPaths.Close(T, p, 0.02, 0, "converged prediction");
        if (!relu)
        {
            // Table 9 prints 0.9266, 0.1342, 0.5700, 0.3608. d1 and d3 agree to the printed 4 decimals on
            // every path; d2 and d4 come out 0.1346 and 0.3606 on every path (float32 reordering moves them
            // by < 1e-6), a few units of the 4th decimal from the table, whose header repeats d_2 three times.
            IsaPaths.Close([0.9266f, 0.5700f], [p[0], p[2]], 5e-5, 0, "Table 9 prediction d1, d3");
            IsaPaths.Close([0.1342f, 0.3608f], [p[1], p[3]], 5e-4, 0, "Table 9 prediction d2, d4");
        }
        else
        {
            // Table 12 (0.9487, 0.1328, 0.5772, 0.3679): the ReLU net's starting weights are recovered only
            // up to a family that reproduces the printed intermediate numbers, so the end point is held to 0.02.
            IsaPaths.Close([0.9487f, 0.1328f, 0.5772f, 0.3679f], p, 0.02, 0, "Table 12 prediction");
        }
        // The float32 run needs about as many epochs as a double-precision reference (7504 logistic, 429 ReLU).
        Assert.InRange(epochs, relu ? 300 : 6000, relu ? 600 : 9000);
    }

    /// <summary>Table 15 (softmax activations and deltas of the mini-batch) and eq. 82-83 through the Softmax layer and a Linear backward.</summary>
    [SkippableTheory]
    [MemberData(nameof(Isas))]
    public void SoftmaxDeltasOfTable15AndUpdateOfEquation83(Isa isa)
    {
        using var ctx = IsaPaths.Open(isa);
        using var logits = Tensor.FromArray([
            0.107653f, 0.099377f, 0.103000f,
            0.106456f, 0.098249f, 0.104083f,
            0.106093f, 0.098227f, 0.1040060f,
            0.107395f, 0.098955f, 0.103460f], 4, 3);
        int[] labels = [2, 0, 1, 1]; // one-hot columns of Table 13: high, low, medium, medium
        using var sm = new Softmax(ctx);
        var p = sm.Forward(logits, training: false).ToArray();
        float[] table = [0.3348f, 0.3320f, 0.3332f, 0.3345f, 0.3318f, 0.3337f, 0.3344f, 0.3318f, 0.3337f, 0.3347f, 0.3319f, 0.3334f];
        IsaPaths.Close(table, p, 6e-5, 0, "Table 15 softmax");
        var delta = (float[])p.Clone();
        for (int r = 0; r < 4; r++) delta[r * 3 + labels[r]] -= 1f;           // eq. 80-81
        IsaPaths.Close([0.3348f, 0.3320f, -0.6668f, -0.6655f, 0.3318f, 0.3337f, 0.3344f, -0.6682f, 0.3337f, 0.3347f, -0.6681f, 0.3334f],
            delta, 6e-5, 0, "Table 15 delta");

        // Delta w_{9,6} = sum_j delta_{9,j} a_{6,j} (eq. 82) as the Linear layer's weight gradient, with the notes' a6
        // and their rounded deltas; then w_{9,6} = -0.07 - 0.01 Delta w_{9,6} (eq. 83).
        using var layer = new Linear(1, 3, bias: false, ctx);
        using var a6 = Tensor.FromArray([0.1145f, 0.1211f, 0.1167f, 0.1195f], 4, 1);
        layer.Weight.Value.CopyFrom([0.5f, -0.07f, 0.3f]);
        layer.Forward(a6, training: true);
        using var dy = Tensor.FromArray([0.3348f, 0.3320f, -0.6668f, -0.6655f, 0.3318f, 0.3337f, 0.3344f, -0.6682f, 0.3337f, 0.3347f, -0.6681f, 0.3334f], 4, 3);
        layer.Backward(dy, computeInputGradient: false);
        Assert.Equal(-0.07962191, layer.Weight.Grad[1, 0], 6);
        using var sgd = new Sgd(layer.Parameters(), lr: 0.01f, ctx: ctx);
        sgd.Step();
        Assert.Equal(-0.069203781, layer.Weight.Value[1, 0], 7);
    }

    /// <summary>
    /// Eq. 59-60: weights N(0, 0.01^2) (var 0.0001) on unit-variance inputs give var(z) = 2 * 0.0001 * 1
    /// = 0.0002 after a 2-input layer, then 100 * 0.0001 * 0.0002 = 0.000002 after a 100-input linear layer:
    /// measured by sampling many networks.
    /// </summary>
    [Fact]
    public void InitialisationVarianceOfEquations59And60BySampling()
    {
        var rng = new Rng(59);
        const int trials = 4000;
        double s1 = 0, s2 = 0;
        var w1 = new float[100 * 2];
        var w2 = new float[100];
        var d = new float[2];
        var z1 = new double[100];
        for (int trial = 0; trial < trials; trial++)
        {
            Init.Normal(w1, 0.01, rng);
            Init.Normal(w2, 0.01, rng);
            d[0] = (float)rng.NextGaussian();
            d[1] = (float)rng.NextGaussian();
            for (int j = 0; j < 100; j++) z1[j] = w1[2 * j] * (double)d[0] + w1[2 * j + 1] * (double)d[1];
            for (int j = 0; j < 100; j++) s1 += z1[j] * z1[j];
            double z2 = 0;
            for (int j = 0; j < 100; j++) z2 += w2[j] * z1[j];
            s2 += z2 * z2;
        }
        double var1 = s1 / (trials * 100.0), var2 = s2 / trials;
        output.WriteLine($"var(Z1) = {var1:G4} (eq. 59: 0.0002), var(Z2) = {var2:G4} (eq. 60: 0.000002)");
        Assert.InRange(var1, 0.0002 * 0.95, 0.0002 * 1.05);
        Assert.InRange(var2, 0.000002 * 0.85, 0.000002 * 1.15);
    }

    /// <summary>Eq. 47-51: PReLU output, dE/dz = lambda below zero, dE/dlambda = dE/da * z summed, and the update.</summary>
    [SkippableTheory]
    [MemberData(nameof(Isas))]
    public void ParametricReluOfEquations47To51(Isa isa)
    {
        using var ctx = IsaPaths.Open(isa);
        using var prelu = new PReLU(2, initialSlope: 0.25f, ctx);
        using var z = Tensor.FromArray([-2f, 3f, -4f, -1f], 2, 2);
        var a = prelu.Forward(z, training: true).ToArray();
        Assert.Equal([-0.5f, 3f, -1f, -0.25f], a);
        using var dE = Tensor.FromArray([1f, 2f, 0.5f, -1f], 2, 2);
        var dz = prelu.Backward(dE).ToArray();
        Assert.Equal([0.25f, 2f, 0.125f, -0.25f], dz);
        Assert.Equal([1f * -2f + 0.5f * -4f, -1f * -1f], prelu.Slope.Grad.ToArray());
        using var sgd = new Sgd(prelu.Parameters(), lr: 0.1f, ctx: ctx);
        sgd.Step();
        Assert.Equal(0.25f - 0.1f * -4f, prelu.Slope.Value[0], 6);
        Assert.Equal(0.25f - 0.1f * 1f, prelu.Slope.Value[1], 6);
    }

    public static TheoryData<Isa> Isas() => IsaPaths.Theory();

    public static IEnumerable<object[]> NetsAndIsas() =>
        from relu in new[] { false, true } from isa in IsaPaths.All select new object[] { relu, isa };
}
