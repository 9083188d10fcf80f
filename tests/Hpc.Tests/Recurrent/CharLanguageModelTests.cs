using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Recurrent;

/// <summary>The character language model on a small repetitive text: it learns, evaluates in bits per character, samples, and its steady-state step allocates nothing.</summary>
public class CharLanguageModelTests
{
    private static readonly string Text = string.Concat(Enumerable.Repeat("the cat sat on the mat. the dog sat on the log. ", 120));

    [Fact]
    public void CorpusSplitsByCharacterAndEncodesTheVocabulary()
    {
        var c = new CharCorpus("abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc");
        Assert.Equal(['a', 'b', 'c'], c.Vocabulary);
        Assert.Equal(54, c.Train.Length);
        Assert.Equal(3, c.Validation.Length);
        Assert.Equal(3, c.Test.Length);
        Assert.Equal([0, 1, 2], c.Encode("abc"));
        Assert.Contains("'z'", Assert.Throws<ArgumentException>(() => c.Encode("abz")).Message);
    }

    [Fact]
    public void TruncatedBpttLowersValidationBitsPerCharacter()
    {
        var corpus = new CharCorpus(Text);
        using var model = new CharLstm(corpus.Vocabulary.Length, embed: 8, hidden: 32, seed: 3);
        using var opt = new ClippedOptimizer(new Adam(model.Parameters(), 1e-2f), maxNorm: 5f);
        using var trainer = new TruncatedBpttTrainer(model, opt, corpus.Train, streams: 4, chunkLength: 16);
        double before = trainer.BitsPerCharacter(corpus.Validation);
        for (int i = 0; i < 150; i++) trainer.TrainStep();
        double after = trainer.BitsPerCharacter(corpus.Validation);
        Assert.True(before > 3.0, $"untrained: {before:F3} bpc");
        Assert.True(after < 1.0, $"after 150 steps: {after:F3} bpc (from {before:F3})");
        var sample = model.Generate(corpus.Encode("the "), 40, 0.5f, new Rng(1));
        Assert.Equal(40, sample.Length);
        Assert.All(sample, k => Assert.InRange(k, 0, corpus.Vocabulary.Length - 1));
    }

    [Fact]
    public void SteadyStateTrainingStepsAllocateNothing()
    {
        var corpus = new CharCorpus(Text);
        using var model = new CharLstm(corpus.Vocabulary.Length, embed: 8, hidden: 16, seed: 4);
        using var opt = new ClippedOptimizer(new Adam(model.Parameters(), 1e-3f), maxNorm: 5f);
        using var trainer = new TruncatedBpttTrainer(model, opt, corpus.Train, streams: 4, chunkLength: 8);
        for (int i = 0; i < 50; i++) trainer.TrainStep();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) trainer.TrainStep();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
