using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Seeds;

/// <summary>Seed 004 section 3.1.1: a saturated sigmoid unit (NOT gate, w = -5, b = 0, x = -1, y = 1).</summary>
public class Seed004Tests
{
    [SkippableTheory]
    [MemberData(nameof(Isas))]
    public void SquaredLossGradientVanishesCrossEntropyGradientIsAMinusY(Isa isa)
    {
        using var ctx = IsaPaths.Open(isa);
        using var unit = new Linear(1, 1, bias: true, ctx);
        unit.Weight.Value.Fill(-5f);
        unit.Bias!.Value.Fill(0f);
        // The notes' saturated case: z = -5, a ~ 0 while the target is 1. (They say x = -1 gives it; with
        // w = -5 that is x = +1, the arithmetic the notes' z and a imply.)
        using var x1 = Tensor.FromArray([1f], 1, 1);
        using var y0 = Tensor.FromArray([1f], 1, 1);
        using var sig = new Sigmoid(ctx);
        var zs = unit.Forward(x1, training: true);
        Assert.Equal(-5f, zs[0, 0]);
        var asat = sig.Forward(zs, training: true);
        // sigma(-5) = 1 / (1 + e^5) = 0.0066928509 (written out here, not read back from the layer).
        Assert.Equal(0.0066928509, asat[0, 0], 7);
        var sse = new SseLoss(ctx);
        float l = sse.Forward(asat, y0);
        // Squared loss through the sigmoid: dl/dz = 2 (a - y) sigma'(z) (eq. 30).
        var dzSquared = sig.Backward(sse.Backward())[0, 0] * 2; // SseLoss is 1/2 (a - y)^2; the notes' loss has no 1/2
        const double aSat = 0.0066928509;
        // 1/2 (a - 1)^2 = 0.49333; dl/dz = 2 (a - 1) a (1 - a) = -0.0132071 (eq. 30, the notes' loss without the 1/2).
        Assert.Equal(0.4933295, l, 5);
        Assert.Equal(-0.0132071, dzSquared, 6);

        // Cross-entropy on the logit: dl/dz = a - y, large.
        var bce = new BceWithLogitsLoss(ctx);
        bce.Forward(zs, y0);
        double dzCe = bce.Backward()[0, 0];
        Assert.Equal(-0.9933071, dzCe, 6);   // a - y

        // The same through the classic logistic neuron: squared error (1/2) vs cross-entropy deltas.
        var sq = new LogisticNeuron(1, 1f, NeuronLoss.SquaredError);
        sq.SetWeights([-5.0], 0);
        var ce = new LogisticNeuron(1, 1f, NeuronLoss.CrossEntropy);
        ce.SetWeights([-5.0], 0);
        Assert.Equal(-0.0066036, sq.DeltaZ([1f], 1f), 6);   // (a - y) a (1 - a)
        Assert.Equal(aSat - 1, ce.DeltaZ([1f], 1f), 6);
    }

    public static TheoryData<Isa> Isas() => IsaPaths.Theory();
}
