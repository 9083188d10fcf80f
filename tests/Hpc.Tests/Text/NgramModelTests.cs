using Hpc.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Text;

/// <summary>Interpolated absolute discounting: a proper distribution for any context, back-off for unseen ones, the SOTU baseline.</summary>
public class NgramModelTests(ITestOutputHelper output)
{
    private static NgramModel Tiny(int order)
    {
        var model = new NgramModel(order, vocabularySize: 5);
        int[] text = [0, 1, 2, 0, 1, 3, 0, 1, 2, 2, 4, 0];
        // Windows of 4 for every order, so each model counts the same positions and the levels agree.
        for (int i = 3; i < text.Length; i++) model.Add(text.AsSpan(i - 3, 4));
        return model;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ProbabilitiesSumToOneForEveryContext(int order)
    {
        var model = Tiny(order);
        var p = new double[5];
        foreach (int a in Enumerable.Range(0, 5))
            foreach (int b in Enumerable.Range(0, 5))
                foreach (int c in Enumerable.Range(0, 5))
                {
                    model.Distribution([a, b, c], p);
                    Assert.Equal(1.0, p.Sum(), 12);
                    Assert.All(p, x => Assert.True(x > 0));
                }
    }

    [Fact]
    public void AnUnseenContextFallsBackToTheLowerOrder()
    {
        var tri = Tiny(3);
        var bi = Tiny(2);
        // "4 4" never occurred: the trigram model answers with its bigram level, which is the bigram model.
        for (int w = 0; w < 5; w++) Assert.Equal(bi.Probability([4], w), tri.Probability([4, 4], w), 14);
        // "0 1" did occur, followed by 2 twice and 3 once: the trigram sharpens towards them.
        Assert.True(tri.Probability([0, 1], 2) > bi.Probability([1], 2));
    }

    [Fact]
    public void StateOfTheUnionBaselinesMatchTheReferencePerplexities()
    {
        var data = TextTestData.SotuFourGrams();
        double Ppl(int order) => NgramModel.Train(data.Train, order, data.Vocabulary.Count).Perplexity(data.Test);
        double bi = Ppl(2), tri = Ppl(3), four = Ppl(4);
        output.WriteLine($"bigram {bi:F3}, trigram {tri:F3}, 4-gram {four:F3}");
        // The figures (d = 0.75): 26.91, 21.90, 21.98; the trigram within 1%.
        Assert.InRange(tri, 21.90 * 0.99, 21.90 * 1.01);
        Assert.InRange(bi, 26.91 * 0.99, 26.91 * 1.01);
        Assert.InRange(four, 21.98 * 0.99, 21.98 * 1.01);
    }
}
