using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Nn;

/// <summary>Worked numbers of the seed lecture notes (/work/shared/seeds), to the notes' precision.</summary>
public class SeedNumberTests
{
    [Fact]
    public void SoftmaxOfTable14()
    {
        // seed 002, Table 14: softmax(1.5, -0.9, 0.6).
        using var logits = Tensor.FromArray([1.5f, -0.9f, 0.6f], 1, 3);
        using var p = new Tensor(1, 3);
        Functional.Softmax(logits, p);
        Assert.Equal(0.667874356, p[0, 0], 1e-6);
        Assert.Equal(0.060588195, p[0, 1], 1e-6);
        Assert.Equal(0.27153745, p[0, 2], 1e-6);
    }

    [Fact]
    public void MaxEntClassifierOfSeed003()
    {
        // seed 003: "in Quebec" fires f1 (LOCATION, previous word "in" and capitalised, weight 1.8),
        // f2 (LOCATION, accented Latin character, -0.6) and f3 (DRUG, ends in "c", 0.3). A MaxEnt
        // model is a bias-free linear layer over the feature indicators followed by a softmax.
        using var model = new Linear(3, 3, bias: false);
        model.Weight.Value.CopyFrom([
            1.8f, -0.6f, 0.0f, // LOCATION
            0.0f, 0.0f, 0.3f,  // DRUG
            0.0f, 0.0f, 0.0f,  // PERSON
        ]);
        using var features = Tensor.FromArray([1f, 1f, 1f], 1, 3);
        using var p = new Tensor(1, 3);
        Functional.Softmax(model.Forward(features, training: false), p);
        Assert.Equal(0.586, p[0, 0], 5e-4);
        Assert.Equal(0.238, p[0, 1], 5e-4);
        Assert.Equal(0.176, p[0, 2], 5e-4);
    }

    // seed 002, Table 15: logits of output neurons 8, 9, 10 for the four examples of the mini-batch
    // (columns d1..d4 of the table, here one row per example) and their one-hot targets.
    private static readonly float[] s_table15Logits =
    [
        0.107653f, 0.099377f, 0.103000f,
        0.106456f, 0.098249f, 0.104083f,
        0.106093f, 0.098227f, 0.1040060f,
        0.107395f, 0.098955f, 0.103460f,
    ];
    private static readonly int[] s_table15Labels = [2, 0, 1, 1];
    private static readonly double[] s_table15Deltas =
    [
        0.3348, 0.3320, -0.6668,
        -0.6655, 0.3318, 0.3337,
        0.3344, -0.6682, 0.3337,
        0.3347, -0.6681, 0.3334,
    ];

    [Fact]
    public void SoftmaxCrossEntropyDeltasOfTable15()
    {
        // The table's deltas are per example (softmax - onehot); our fused kernel returns the
        // gradient of the batch-mean loss, i.e. those deltas divided by the batch size (4).
        using var logits = Tensor.FromArray(s_table15Logits, 4, 3);
        var loss = new CrossEntropyLoss();
        float l = loss.Forward(logits, s_table15Labels);
        var d = loss.Backward().ToArray();
        for (int i = 0; i < d.Length; i++)
            Assert.True(Math.Abs(4 * d[i] - s_table15Deltas[i]) <= 6e-5, $"delta #{i}: 4 * {d[i]} vs table {s_table15Deltas[i]}");
        // All probabilities are near 1/3 (ln 3 = 1.0986), but the mean loss is 1.1000: the double
        // log-sum-exp of the table's logits, written out here.
        double expected = 0;
        for (int r = 0; r < 4; r++)
        {
            var row = s_table15Logits.AsSpan(r * 3, 3).ToArray().Select(v => (double)v).ToArray();
            double m = row.Max();
            expected += m + Math.Log(row.Sum(v => Math.Exp(v - m))) - row[s_table15Labels[r]];
        }
        expected /= 4;
        Assert.Equal(1.1000, expected, 4);
        Assert.Equal(expected, l, 6);
    }

    [Fact]
    public void WeightGradientAndUpdateOfEquations82And83()
    {
        // Delta w_{9,6} = sum_j delta_{9,j} a_{6,j} (eq. 82) is the weight gradient of the output
        // layer for the input coming from hidden neuron 6 (activations a6 as given), and
        // w_{9,6} = -0.07 - 0.01 * Delta w_{9,6} (eq. 83). Our loss is the batch mean, so the
        // gradient is Delta w / 4 and the same step needs lr = 0.01 * 4.
        using var logits = Tensor.FromArray(s_table15Logits, 4, 3);
        var loss = new CrossEntropyLoss();
        loss.Forward(logits, s_table15Labels);

        using var layer = new Linear(1, 3, bias: false);
        layer.Weight.Value.CopyFrom([0.1f, -0.07f, 0.2f]);
        using var a6 = Tensor.FromArray([0.1145f, 0.1211f, 0.1167f, 0.1195f], 4, 1);
        layer.Forward(a6, training: true);
        layer.Backward(loss.Backward(), computeInputGradient: false);
        // The notes use deltas rounded to 4 decimals: +-5e-5 each, times a6 ~ 0.12, four terms.
        Assert.Equal(-0.07962191, 4 * layer.Weight.Grad[1, 0], 3e-5);

        using var sgd = new Sgd(layer.Parameters(), lr: 0.01f * 4);
        sgd.Step();
        Assert.Equal(-0.069203781, layer.Weight.Value[1, 0], 1e-6);
    }
}
