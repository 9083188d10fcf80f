using Xunit;

namespace Hpc.Cli.Tests;

/// <summary>The CLI's contract: its output, its exit codes, and one-line errors without stack traces.</summary>
[Collection("Console")]
public class CliTests
{
    [Fact]
    public void TrainPrintsEveryEpochAndASummary()
    {
        using var data = new TinyMnist();
        var r = CliRunner.Run("train", "--epochs", "2", "--batch-size", "32", "--threads", "1", "--data", data.Dir);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
        Assert.Contains("MLP 784-256-128-10 (ReLU), SGD lr 0.05 momentum 0.9, batch 32, 2 epochs, seed 42", r.Stdout);
        Assert.Contains("(256 train, 64 test)", r.Stdout);
        Assert.Matches(@"epoch 1/2  loss \d+\.\d{4}  train +\d+\.\d\d%  test +\d+\.\d\d% +[\d,]+ samples/s", r.Stdout);
        Assert.Matches(@"epoch 2/2  loss ", r.Stdout);
        var done = System.Text.RegularExpressions.Regex.Match(r.Stdout, @"done: 2 epochs in \d+\.\d s, [\d,]+ samples/s; test accuracy (\d+\.\d\d)% on 64 digits");
        Assert.True(done.Success, r.Stdout);
        // Two epochs on the banded digits reach 95.3% (seed 42): a broken update or loss would not.
        Assert.True(double.Parse(done.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 90, r.Stdout);
    }

    [Fact]
    public void TrainingIsRepeatableForAGivenSeed()
    {
        using var data = new TinyMnist();
        string[] args = ["train", "--epochs", "1", "--threads", "1", "--seed", "5", "--data", data.Dir];
        string Epoch(CliResult r) => r.Stdout.Split('\n').Single(l => l.StartsWith("epoch 1/1"))[..50];

        Assert.Equal(Epoch(CliRunner.Run(args)), Epoch(CliRunner.Run(args)));
    }

    [Fact]
    public void InfoNamesTheSelectedPath()
    {
        var r = CliRunner.Run("info", "--threads", "1");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"(?m)^selected +(scalar|avx2|avx512|openblas) \(from ", r.Stdout);
        Assert.Matches(@"(?m)^isa paths +scalar yes, avx2 (yes|no), avx512 (yes|no), openblas (yes|no)$", r.Stdout);
        Assert.Matches(@"(?m)^threads +1 ", r.Stdout);
    }

    [Fact]
    public void InfoKernelsListsWhatEachFamilyRunsOnThePath()
    {
        var r = CliRunner.Run("info", "--isa", "scalar", "--threads", "1", "--kernels");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("kernels on the scalar path:", r.Stdout);
        Assert.Matches(@"(?m)^  conv im2col / col2im staging: scalar$", r.Stdout);
        Assert.Matches(@"(?m)^  conv direct kernels .*: none \(the general code\)$", r.Stdout);
        Assert.DoesNotContain("stand-in", r.Stdout);
    }

    [Theory]
    [InlineData("--lr", "-1", "hpc: error: --lr = -1 must be a finite number above 0")]
    [InlineData("--lr", "NaN", "hpc: error: --lr = NaN must be a finite number above 0")]
    [InlineData("--momentum", "1", "hpc: error: --momentum = 1 is outside [0, 1)")]
    [InlineData("--epochs", "0", "hpc: error: --epochs = 0 is outside 1..100000")]
    [InlineData("--epochs", "x", "hpc: error: Cannot parse argument 'x' for option '--epochs'")]
    [InlineData("--threads", "2000", "hpc: error: --threads = 2000 is outside 0..1024")]
    [InlineData("--isa", "avx9", "hpc: error: --isa = 'avx9' is not one of auto, scalar, avx2, avx512, openblas")]
    [InlineData("--bogus", "1", "hpc: error: unknown command or option '--bogus'")]
    public void BadOptionsAreOneLineUsageErrors(string option, string value, string expected)
    {
        var r = CliRunner.Run("train", option, value);

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.StartsWith(expected, Assert.Single(r.StderrLines));
    }

    [Fact]
    public void UnknownCommandIsAOneLineUsageError()
    {
        var r = CliRunner.Run("trian");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("hpc: error: unknown command or option 'trian' (see 'hpc --help')", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void MissingDataDirectoryIsAOneLineUsageError()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hpc-cli-tests-" + Guid.NewGuid().ToString("N"));
        var r = CliRunner.Run("train", "--data", dir);

        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"hpc: error: --data {dir}: no such directory", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void TruncatedDataFileIsAOneLineFailureNamingTheFile()
    {
        using var data = new TinyMnist();
        string images = data.Path("train-images-idx3-ubyte");
        byte[] bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..1000]);

        var r = CliRunner.Run("train", "--epochs", "1", "--data", data.Dir);

        Assert.Equal(1, r.ExitCode);
        string line = Assert.Single(r.StderrLines);
        Assert.StartsWith($"hpc: error: {images}: ", line);
        Assert.Contains("truncated", line);
    }

    [Fact]
    public void MissingDataFileIsAOneLineFailureNamingTheFile()
    {
        using var data = new TinyMnist();
        File.Delete(data.Path("t10k-labels-idx1-ubyte"));

        var r = CliRunner.Run("train", "--epochs", "1", "--data", data.Dir);

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"hpc: error: {data.Path("t10k-labels-idx1-ubyte")}: not found", Assert.Single(r.StderrLines));
    }
}
