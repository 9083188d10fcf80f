using Xunit;

namespace Hpc.Cli.Tests;

/// <summary>`hpc train`'s seeds-catalogue options (issue 4): accepted, reflected in the banner, validated in one line.</summary>
[Collection("Console")]
public class Issue4CliTests
{
    [Fact]
    public void TrainAcceptsTheCatalogueOptions()
    {
        using var data = new TinyMnist();
        var r = CliRunner.Run("train", "--epochs", "3", "--batch-size", "32", "--threads", "1", "--data", data.Dir,
            "--activation", "leaky-relu", "--optimizer", "adamw", "--lr", "0.002", "--lr-schedule", "cosine",
            "--weight-decay", "0.01", "--l1", "0.0001", "--dropout", "0.2", "--init", "he", "--early-stopping", "2",
            "--clip-norm", "1", "--diagnostics", "--augment", "--validation-split", "0.25");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
        Assert.Contains("MLP 784-256-128-10 (leaky ReLU), AdamW lr 0.002, cosine schedule, weight decay 0.01, L1 0.0001, dropout 0.2, init he, clip-norm 1, early stopping (patience 2), augmented", r.Stdout);
        Assert.Contains("validation: 64 rows held out", r.Stdout);
        Assert.Matches(@"grad 0\.weight +\|g\| ", r.Stdout);
        Assert.Matches(@"act +#1 LeakyReLU", r.Stdout);
        Assert.Matches(@"early stopping: best validation loss \d+\.\d{4} at epoch \d", r.Stdout);
        Assert.Matches(@"test accuracy \d+\.\d\d% on 64 digits", r.Stdout);
    }

    [Theory]
    [InlineData("--activation", "gelu", "'gelu' is not one of")]
    [InlineData("--optimizer", "adagrad", "'adagrad' is not one of")]
    [InlineData("--lr-schedule", "linear", "'linear' is not one of")]
    [InlineData("--dropout", "1", "--dropout = 1 is outside [0, 1)")]
    [InlineData("--weight-decay", "-0.5", "--weight-decay = -0.5 is outside")]
    [InlineData("--init", "orthogonal", "'orthogonal' is not one of")]
    public void BadCatalogueValuesAreOneLineUsageErrors(string option, string value, string message)
    {
        using var data = new TinyMnist();
        var r = CliRunner.Run("train", "--epochs", "1", "--data", data.Dir, option, value);

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Single(r.StderrLines);
    }

    [Fact]
    public void MlpOnlyOptionsAreRefusedForOtherModels()
    {
        using var data = new TinyMnist();
        var r = CliRunner.Run("train", "--epochs", "1", "--data", data.Dir, "--model", "lenet", "--dropout", "0.5");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("shape the mlp model only", r.Stderr);
    }
}
