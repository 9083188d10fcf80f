using Hpc.Nn;
using Hpc.Tests.EndToEnd;
using Xunit;

namespace Hpc.Tests.Text;

/// <summary>The fetched corpora under data/, and small generated corpora for fast tests.</summary>
internal static class TextTestData
{
    /// <summary>data/&lt;name&gt; of the repository; fails the test with the command that fetches it if it is missing.</summary>
    public static string Corpus(string name, string probe)
    {
        string dir = Path.Combine(RepoRoot.Find(), "data", name);
        if (!File.Exists(Path.Combine(dir, probe)))
            Assert.Fail($"{dir} is missing: run ./build.sh data (or tools/fetch-text.sh) before the tests");
        return dir;
    }

    public static string Sotu() => Corpus("sotu", "2016_barack_obama_d.txt");

    private static readonly Lazy<NgramDataset> s_sotu = new(() => NgramDataset.Load(Sotu(), order: 4, vocabularySize: 250));

    /// <summary>The SOTU 4-grams over the 250 most frequent training words, loaded once for all tests.</summary>
    public static NgramDataset SotuFourGrams() => s_sotu.Value;

    /// <summary>A fresh temporary folder holding the given files (name, content).</summary>
    public static string Folder(params (string Name, string Text)[] files)
    {
        string dir = Path.Combine(Path.GetTempPath(), "hpc-text-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(dir, name), text);
        return dir;
    }
}
