using Hpc.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Text;

/// <summary>The lecture notes' neural language model: parameter count, every gradient shape, finite differences through the loss, training.</summary>
public class NeuralLanguageModelTests(ITestOutputHelper output)
{
    [Fact]
    public void HasTheNotesFiftyEightThousandSeventyParameters()
    {
        using var nlm = new NeuralLanguageModel();
        // K D + (3 D H + H) + (H K + K), seed 000 section 12.
        Assert.Equal(250 * 16 + (3 * 16 * 180 + 180) + (180 * 250 + 250), 58_070);
        Assert.Equal(58_070, nlm.ParameterCount());
        Assert.Equal(["embedding.weight", "hidden.weight", "hidden.bias", "output.weight", "output.bias"],
            nlm.Parameters().Select(p => p.Name));
    }

    [Fact]
    public void GradientShapesAreTheNotesMiniBatchShapes()
    {
        using var nlm = new NeuralLanguageModel();
        var rng = new Rng(1);
        var x = new float[100 * 3];
        var labels = new int[100];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextInt(250);
        for (int i = 0; i < labels.Length; i++) labels[i] = rng.NextInt(250);
        using var input = Tensor.FromArray(x, 100, 3);
        var loss = new CrossEntropyLoss();
        var logits = nlm.Forward(input, training: true);
        loss.Forward(logits, labels);
        var dZj = loss.Backward();
        Assert.Equal([100, 250], dZj.ShapeArray());                     // dC/dZ_j, m x K
        // dC/dY_h (m x H); the logistic y(1 - y) factor keeps the shape of dC/dZ_h, so it is skipped here
        var dZh = nlm.Output.Backward(dZj);
        Assert.Equal([100, 180], dZh.ShapeArray());
        Assert.Equal([250, 180], nlm.Output.Weight.Grad.ShapeArray());   // dC/dW_h, K x H
        Assert.Equal([250], nlm.Output.Bias!.Grad.ShapeArray());         // dC/dB_h, K x 1
        var dZe = nlm.Hidden.Backward(dZh);
        Assert.Equal([100, 48], dZe.ShapeArray());                       // dC/dZ_e, m x 3D
        Assert.Equal([180, 48], nlm.Hidden.Weight.Grad.ShapeArray());    // dC/dW_e, H x 3D
        Assert.Equal([180], nlm.Hidden.Bias!.Grad.ShapeArray());         // dC/dB_e, H x 1
        nlm.Embedding.Backward(dZe, computeInputGradient: false);
        Assert.Equal([250, 16], nlm.Embedding.Weight.Grad.ShapeArray()); // the shared table, K x D
    }

    [Fact]
    public void WholeModelGradientMatchesFiniteDifferences()
    {
        using var nlm = new NeuralLanguageModel(vocabularySize: 7, contextWords: 3, embeddingDim: 3, hidden: 5);
        nlm.InitializeNormal(0.5, new Rng(2));
        // Repeated words within and across examples, so the shared table sums several gradients.
        using var x = Tensor.FromArray([0, 1, 1, 2, 6, 0, 1, 1, 1, 5, 4, 2], 4, 3);
        int[] labels = [3, 1, 6, 0];
        var loss = new CrossEntropyLoss();
        loss.Forward(nlm.Forward(x, training: true), labels);
        nlm.Backward(loss.Backward(), computeInputGradient: false);
        var grads = nlm.Parameters().Select(p => (p, p.Grad.ToArray())).ToList();
        double Objective() => loss.Forward(nlm.Forward(x, training: true), labels, computeGradient: false);
        foreach (var (p, g) in grads)
        {
            var r = GradientCheck.Compare(p.Name, Objective, p.Value, g, h: 1e-2, atol: 2e-4, rtol: 2e-2);
            output.WriteLine(r.ToString());
            Assert.True(r.Passed, r.ToString());
        }
    }

    [Fact]
    public void LearnsATinyDeterministicLanguage()
    {
        // "a b c d" repeated: each word determines the next, so the model must approach perplexity 1.
        var words = Enumerable.Range(0, 400).Select(i => i % 4).ToArray();
        var windows = new List<float>();
        var labels = new List<int>();
        for (int i = 3; i < words.Length; i++)
        {
            windows.AddRange([words[i - 3], words[i - 2], words[i - 1]]);
            labels.Add(words[i]);
        }
        var data = new Dataset(windows.ToArray(), labels.ToArray(), 3, 4);
        using var nlm = new NeuralLanguageModel(vocabularySize: 4, embeddingDim: 4, hidden: 8);
        using var sgd = new Sgd(nlm.Parameters(), 0.1f, 0.9f);
        using var trainer = new Trainer(nlm, sgd, new CrossEntropyLoss(), new TrainerOptions { Epochs = 20, BatchSize = 10, Seed = 3 });
        var history = trainer.Fit(data, data);
        double perplexity = Math.Exp(history.Last!.TestLoss);
        output.WriteLine($"perplexity {perplexity}");
        Assert.True(perplexity < 1.1, $"perplexity {perplexity}");
    }
}
