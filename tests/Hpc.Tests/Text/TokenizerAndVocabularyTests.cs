using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Text;

/// <summary>The [a-z]+ token rule and the vocabulary's order, cut-off and unknown-word policies.</summary>
public class TokenizerAndVocabularyTests
{
    [Fact]
    public void LettersRunsLowerCased()
    {
        Assert.Equal(["the", "nation", "s", "u", "s", "a"], Tokenizer.Tokenize("The Nation's U.S.A. -- 1776!"));
        Assert.Empty(Tokenizer.Tokenize("123 ... \n"));
    }

    [Fact]
    public void MostFrequentFirstTiesAlphabeticalWithCutOff()
    {
        var counts = Vocabulary.CountWords(Tokenizer.Tokenize("b a c b a d e e e"));
        var v = Vocabulary.FromCounts(counts, maxSize: 10, minCount: 2);
        Assert.Equal(["e", "a", "b"], v.Words);
        Assert.Equal(-1, v.IndexOf("c"));
        var top2 = Vocabulary.FromCounts(counts, maxSize: 2);
        Assert.Equal(["e", "a"], top2.Words);
    }

    [Fact]
    public void UnknownWordsMapToTheLastIndexWhenAsked()
    {
        var v = new Vocabulary(["x", "y"], UnknownWordPolicy.MapToUnknown);
        Assert.Equal(3, v.Count);
        Assert.Equal(2, v.IndexOf("zebra"));
        Assert.Equal(Vocabulary.UnknownToken, v.Words[2]);
        Assert.Throws<ArgumentException>(() => new Vocabulary(["x", "x"]));
    }
}
