using Xunit;

namespace Hpc.Cli.Tests;

/// <summary>`hpc train --model nlm|maxent` end to end on small generated corpora, and their one-line errors.</summary>
[Collection("Console")]
public class TextCliTests
{
    private sealed class TempDir : IDisposable
    {
        public string Dir { get; } = Path.Combine(Path.GetTempPath(), "hpc-cli-text-" + Guid.NewGuid().ToString("N"));
        public TempDir() => Directory.CreateDirectory(Dir);
        public string Write(string name, string text)
        {
            string path = Path.Combine(Dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            return path;
        }
        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    // Ten files so that file 8 is validation and file 9 test; a small repetitive language.
    private static TempDir TinyCorpus()
    {
        var d = new TempDir();
        string[] sentences = ["the people of the united states", "the congress of the united states", "we the people shall", "the states of the union"];
        for (int f = 0; f < 10; f++)
            d.Write($"{f:D2}_speech.txt", string.Join(". ", Enumerable.Range(0, 30).Select(i => sentences[(i + f) % sentences.Length])));
        return d;
    }

    [Fact]
    public void NlmPrintsValidationPerplexityPerEpochAndTheNgramBaselines()
    {
        using var corpus = TinyCorpus();
        string svg = Path.Combine(corpus.Dir, "out", "embedding.svg");
        var r = CliRunner.Run("train", "--model", "nlm", "--data", corpus.Dir, "--epochs", "2", "--threads", "1", "--plot-embedding", svg);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("SGD lr 0.1 momentum 0.9, batch 100, 2 epochs, N(0, 0.1^2) weights", r.Stdout);
        Assert.Matches(@"epoch  1/2  train cross-entropy \d+\.\d{4}  validation cross-entropy \d+\.\d{4} nats  perplexity \d+\.\d\d", r.Stdout);
        Assert.Matches(@"test perplexity: neural LM \d+\.\d\d", r.Stdout);
        Assert.Matches(@"test perplexity: 3-gram \(interpolated absolute discounting, d = 0.75\) \d+\.\d\d", r.Stdout);
        Assert.Contains("<svg", File.ReadAllText(svg));
        Assert.Contains(">united<", File.ReadAllText(svg));
    }

    [Fact]
    public void NlmOnAFolderWithoutTextIsOneLineError()
    {
        using var empty = new TempDir();
        var r = CliRunner.Run("train", "--model", "nlm", "--data", empty.Dir, "--threads", "1");
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith("hpc: error: ", line);
        Assert.Contains("no .txt files", line);
        var missing = CliRunner.Run("train", "--model", "nlm", "--threads", "1");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--data", Assert.Single(missing.StderrLines));
    }

    [Fact]
    public void MaxEntReportsAccuracyPrecisionRecallAndTopFeatures()
    {
        using var d = new TempDir();
        var list = new List<string>();
        for (int i = 0; i < 60; i++)
        {
            bool spam = i % 3 == 0;
            string rel = spam ? $"spam-1/{i:D3}.txt" : $"easy-ham-1/{i:D3}.txt";
            d.Write(rel, spam ? $"Subject: cheap offer {i}\n\nbuy now, free money" : $"Subject: meeting {i}\n\nthe build passed, see you at lunch");
            list.Add(rel);
        }
        d.Write("file_list.json", "[" + string.Join(",", list.Select(p => $"\"{p}\"")) + "]");
        var r = CliRunner.Run("train", "--model", "maxent", "--data", d.Dir, "--threads", "1", "--epochs", "5", "--batch-size", "8", "--lr", "0.1");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("48 training / 12 test messages", r.Stdout);
        Assert.Contains("test: accuracy 100.00% (12/12)", r.Stdout);
        Assert.Matches(@"spam precision 100.00%, spam recall 100.00%", r.Stdout);
        Assert.Matches(@"top features for spam: .*(buy|free|money|cheap|offer)", r.Stdout);
    }

    [Fact]
    public void MaxEntWithoutFileListIsOneLineError()
    {
        using var d = new TempDir();
        var r = CliRunner.Run("train", "--model", "maxent", "--data", d.Dir, "--threads", "1");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("file_list.json", Assert.Single(r.StderrLines));
    }
}
