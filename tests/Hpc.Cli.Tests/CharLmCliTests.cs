using Xunit;

namespace Hpc.Cli.Tests;

/// <summary>`hpc train --model char-lstm`: bits per character reported, samples printed, bad input as one-line errors.</summary>
[Collection("Console")]
public class CharLmCliTests
{
    private static string TinyText()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hpc-charlm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "data.txt"), string.Concat(Enumerable.Repeat("Call me Ishmael. Some years ago. ", 200)));
        return dir;
    }

    [Fact]
    public void TrainsReportsBitsPerCharacterAndSamples()
    {
        string dir = TinyText();
        try
        {
            var r = CliRunner.Run("train", "--model", "char-lstm", "--data", dir, "--steps", "6", "--eval-every", "3",
                "--batch-size", "4", "--seq-len", "16", "--hidden", "16", "--embed", "8", "--threads", "1",
                "--generate", "20", "--prime", "Call me", "--temperature", "0.8");
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.Contains("step      3: train", r.Stdout);
            Assert.Contains("validation", r.Stdout);
            Assert.Contains("bits per character", r.Stdout);
            var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("Call me", lines[^1]);
            Assert.Equal("Call me".Length + 20, lines[^1].Length);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void PrimeOutsideTheVocabularyIsAOneLineUsageError()
    {
        string dir = TinyText();
        try
        {
            var r = CliRunner.Run("train", "--model", "char-lstm", "--data", dir, "--steps", "1", "--batch-size", "4",
                "--seq-len", "8", "--hidden", "8", "--generate", "5", "--prime", "Zebra");
            Assert.Equal(2, r.ExitCode);
            Assert.Single(r.StderrLines);
            Assert.Contains("--prime", r.Stderr);
            Assert.Contains("'Z'", r.Stderr);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void MissingTextIsAOneLineUsageError()
    {
        var r = CliRunner.Run("train", "--model", "char-lstm", "--data", "/nonexistent/moby");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.StderrLines);
        Assert.Contains("/nonexistent/moby", r.Stderr);
    }
}
