using Hpc.Nn;
using Hpc.Tests.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Text;

/// <summary>MaxEnt over named feature functions (the notes' "in Québec" example), SparseLinear gradients, sparse optimizers, training.</summary>
public class MaxEntTests(ITestOutputHelper output)
{
    private sealed record Token(string Previous, string Word);

    [Fact]
    public void InQuebecGivesTheNotesProbabilities()
    {
        var features = new NamedFeatures<Token>(
            ("prev=in, capitalized", d => d.Previous == "in" && char.IsUpper(d.Word[0])),
            ("accented Latin letter", d => d.Word.Any(ch => ch is >= 'À' and <= 'ÿ')),
            ("ends in c", d => d.Word.EndsWith('c')));
        using var maxent = new MaxEnt<Token>(["PERSON", "LOCATION", "DRUG"], features, bias: false);
        maxent["LOCATION", "prev=in, capitalized"] = 1.8f;
        maxent["LOCATION", "accented Latin letter"] = -0.6f;
        maxent["DRUG", "ends in c"] = 0.3f;
        var p = maxent.Probabilities(new Token("in", "Québec"));
        Assert.Equal(0.586, p[maxent.ClassIndex("LOCATION")], 3);
        Assert.Equal(0.238, p[maxent.ClassIndex("DRUG")], 3);
        Assert.Equal(0.176, p[maxent.ClassIndex("PERSON")], 3);
    }

    [Fact]
    public void SparseLinearGradientsMatchFiniteDifferences()
    {
        // Rows with repeated features across rows, an empty row, explicit values.
        var x = new SparseBatch([0, 3, 3, 5, 8], [1, 4, 6, 4, 1, 0, 4, 6], [0.5f, -1f, 2f, 1.5f, 1f, -0.3f, 0.7f, 1f], 4, 7);
        using var layer = new SparseLinear(7, 3);
        Init.Uniform(layer.Weight.Value.AsSpan(), 1.0, new Rng(1));
        Init.Uniform(layer.Bias!.Value.AsSpan(), 1.0, new Rng(2));
        using var r = Synthetic.RandomTensor(3, 1.0, 4, 3);
        layer.Forward(x);
        layer.Backward(r);
        Assert.Equal([0, 1, 4, 6], layer.TouchedRows.ToArray());
        layer.ScatterWeightGradient();
        double Objective()
        {
            var y = layer.Forward(x).AsSpan();
            double s = 0;
            for (int i = 0; i < y.Length; i++) s += (double)r.AsSpan()[i] * y[i];
            return s;
        }
        foreach (var p in layer.Parameters())
        {
            var result = GradientCheck.Compare(p.Name, Objective, p.Value, p.Grad.ToArray(), h: 1e-2, atol: 1e-4, rtol: 1e-3);
            output.WriteLine(result.ToString());
            Assert.True(result.Passed, result.ToString());
        }
    }

    [Fact]
    public void SparseOptimizersLeaveUntouchedRowsAlone()
    {
        var x = SparseBatch.FromRows([[2], [2, 5]], 8);
        using var layer = new SparseLinear(8, 2);
        Init.Uniform(layer.Weight.Value.AsSpan(), 1.0, new Rng(3));
        var before = layer.Weight.Value.ToArray();
        using var dy = Synthetic.RandomTensor(4, 1.0, 2, 2);
        using var adam = new SparseAdam(layer, 0.1f);
        using var sgd = new LazySgd(layer, 0.1f, 0.9f);
        for (int step = 0; step < 3; step++)
        {
            layer.Forward(x);
            layer.Backward(dy);
            adam.Step();
            sgd.Step();
        }
        var after = layer.Weight.Value.ToArray();
        for (int row = 0; row < 8; row++)
            for (int c = 0; c < 2; c++)
            {
                bool touched = row is 2 or 5;
                Assert.True(touched == (after[row * 2 + c] != before[row * 2 + c]), $"row {row}: touched {touched}");
            }
    }

    [Fact]
    public void LearnsASeparableBagOfWordsTask()
    {
        // Class 1 documents contain word 3 or 4, class 0 documents word 0 or 1; words 5..9 are noise.
        var rng = new Rng(5);
        var docs = new List<IReadOnlyList<string>>();
        var labels = new List<int>();
        for (int i = 0; i < 400; i++)
        {
            int y = i % 2;
            var words = new List<string> { $"w{(y == 1 ? 3 + rng.NextInt(2) : rng.NextInt(2))}" };
            for (int k = 0; k < 3; k++) words.Add($"w{5 + rng.NextInt(5)}");
            docs.Add(words);
            labels.Add(y);
        }
        var features = TokenPresenceFeatures.FromDocumentFrequency(docs, 100);
        using var maxent = new MaxEnt<IReadOnlyList<string>>(["ham", "spam"], features);
        var x = maxent.Featurize(docs);
        maxent.Fit(x, labels.ToArray(), epochs: 5, batchSize: 20, lr: 0.05f);
        var eval = maxent.Evaluate(x, labels.ToArray());
        output.WriteLine($"accuracy {eval.Accuracy}, log-loss {eval.Loss}");
        Assert.Equal(1.0, eval.Accuracy);
        Assert.Contains(maxent.TopFeatures("spam", 2), f => f.Feature is "w3" or "w4");
    }
}
