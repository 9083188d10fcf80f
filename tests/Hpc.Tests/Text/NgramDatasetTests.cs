using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Text;

/// <summary>The n-gram data set definition: the SOTU counts, window rules on a tiny corpus, bad folders.</summary>
public class NgramDatasetTests
{
    [Fact]
    public void StateOfTheUnionFourGramsHaveTheDefinedCounts()
    {
        var data = TextTestData.SotuFourGrams();
        Assert.Equal((187, 23, 23), (data.Train.Files, data.Validation.Files, data.Test.Files));
        Assert.Equal(1_429_229, data.Train.Tokens);
        Assert.Equal(175_174, data.Train.Count);
        Assert.Equal(23_396, data.Validation.Count);
        Assert.Equal(21_876, data.Test.Count);
        Assert.Equal(250, data.Vocabulary.Count);
        Assert.Equal("the of to and in a that for be our is it".Split(' '), data.Vocabulary.Words.Take(12));
    }

    [Fact]
    public void WindowsStayInsideOneFileAndSkipOutOfVocabularyWords()
    {
        // Ten files so the split rule puts file 8 in validation and file 9 in test.
        var files = Enumerable.Range(0, 10).Select(i => ($"f{i}.txt", i switch
        {
            0 => "a b c d a b",        // windows: abcd, bcda, cdab
            1 => "a b X c d",          // "x" is rare: no window crosses it
            8 => "d c b a",
            9 => "b b b b b",
            _ => "a a",
        })).ToArray();
        string dir = TextTestData.Folder(files);
        try
        {
            var data = NgramDataset.Load(dir, order: 4, vocabularySize: 4);
            Assert.Equal(["a", "b", "c", "d"], data.Vocabulary.Words);
            Assert.Equal([0, 1, 2, 3, 1, 2, 3, 0, 2, 3, 0, 1], data.Train.Windows);
            Assert.Equal([3, 2, 1, 0], data.Validation.Windows);
            Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1], data.Test.Windows);
            Assert.Equal(8, data.Train.Files);
            var set = data.Train.ToDataset(4);
            Assert.Equal(3, set.FeatureCount);
            Assert.Equal([0f, 1f, 2f], set.Row(0).ToArray());
            Assert.Equal(3, set.Labels[0]);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void AnEmptyFolderIsAClearError()
    {
        string dir = TextTestData.Folder();
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => NgramDataset.Load(dir));
            Assert.Contains("no .txt files", e.Message);
        }
        finally { Directory.Delete(dir, true); }
        Assert.Throws<DirectoryNotFoundException>(() => NgramDataset.Load(dir));
    }

    [Fact]
    public void NonUtf8BytesSeparateWordsInsteadOfFailing()
    {
        string dir = TextTestData.Folder();
        try
        {
            // Latin-1 "café", a lone UTF-8 continuation byte and a NUL: all separators.
            File.WriteAllBytes(Path.Combine(dir, "latin1.txt"), [(byte)'C', (byte)'a', (byte)'f', 0xE9, (byte)' ', (byte)'o', 0x80, (byte)'k', 0, (byte)'Z']);
            var tokens = TextCorpus.Tokenize(TextCorpus.Files(dir))[0];
            Assert.Equal(["caf", "o", "k", "z"], tokens);
        }
        finally { Directory.Delete(dir, true); }
    }
}
