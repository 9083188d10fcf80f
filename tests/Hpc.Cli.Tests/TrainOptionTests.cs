using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Hpc.Cli.Tests;

/// <summary>
/// `hpc train`'s recipe options by their effect on training, on the small generated IDX data (256
/// train, 64 test, 8 steps of 32 per epoch): each option changes the run in the direction it should,
/// measured from the per-epoch losses and the diagnostics' weight norms. Plus the one-line usage errors.
/// </summary>
[Collection("Console")]
public partial class TrainOptionTests : IClassFixture<TrainOptionTests.Data>
{
    public sealed class Data : IDisposable
    {
        internal TinyMnist Mnist { get; } = new();

        public void Dispose() => Mnist.Dispose();
    }

    private const int StepsPerEpoch = 256 / 32;
    private readonly string _dir;

    public TrainOptionTests(Data data) => _dir = data.Mnist.Dir;

    /// <summary>One run's printed numbers: the loss of each epoch, the weight norm of each parameter after each epoch.</summary>
    private sealed record Run(string Stdout, double[] Losses, Dictionary<string, double>[] Norms, double TestAccuracy)
    {
        public double Norm(int epoch, string name) => Norms[epoch - 1][name];
    }

    private Run Train(int epochs, params string[] options)
    {
        string[] args = ["train", "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--batch-size", "32", "--threads", "1",
            "--data", _dir, "--diagnostics", .. options];
        var r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, $"hpc {string.Join(' ', args)}: {r.Stderr}");
        var losses = EpochLoss().Matches(r.Stdout).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        // The diagnostics print one block of "grad" lines per epoch.
        var norms = new List<Dictionary<string, double>>();
        bool inBlock = false;
        foreach (var line in r.Stdout.Split('\n'))
        {
            var m = GradLine().Match(line);
            if (m.Success)
            {
                if (!inBlock) norms.Add([]);
                norms[^1][m.Groups[1].Value] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            }
            inBlock = m.Success;
        }
        var acc = TestAccuracy().Match(r.Stdout);
        Assert.True(acc.Success, r.Stdout);
        Assert.True(losses.Length >= 1 && norms.Count == losses.Length, r.Stdout);
        return new Run(r.Stdout, losses, [.. norms], double.Parse(acc.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"(?m)^epoch +\d+/\d+ +loss (\d+\.\d{4})")]
    private static partial Regex EpochLoss();

    [GeneratedRegex(@"^  grad (\S+) +\|g\| +\S+ +\|w\| +(\S+)")]
    private static partial Regex GradLine();

    [GeneratedRegex(@"test accuracy (\d+\.\d\d)% on")]
    private static partial Regex TestAccuracy();

    private static readonly string[] Weights = ["0.weight", "2.weight", "4.weight"];

    private static double WeightNorm(Run r, int epoch) => Math.Sqrt(Weights.Sum(w => r.Norm(epoch, w) * r.Norm(epoch, w)));

    [Fact]
    public void WeightDecayShrinksTheWeights()
    {
        var plain = Train(2, "--momentum", "0");
        var decayed = Train(2, "--momentum", "0", "--weight-decay", "0.5");
        // w -= lr wd w each step: about (1 - 0.05 * 0.5)^16 = 0.67 of the start, minus what the gradients add.
        Assert.True(WeightNorm(decayed, 2) < 0.8 * WeightNorm(plain, 2), $"{WeightNorm(decayed, 2)} vs {WeightNorm(plain, 2)}");
        // Biases are not decayed: their norms stay within what the gradient steps move them.
        Assert.True(Math.Abs(decayed.Norm(2, "0.bias") - plain.Norm(2, "0.bias")) < 0.1 * plain.Norm(2, "0.bias"));
    }

    [Fact]
    public void L1ShrinksTheWeights()
    {
        var plain = Train(2, "--momentum", "0");
        var l1 = Train(2, "--momentum", "0", "--l1", "0.05");
        // Each step moves every weight 0.05 * 0.05 toward 0; the first layer's ~0.02-sized weights lose most of their mass.
        Assert.True(l1.Norm(2, "0.weight") < 0.8 * plain.Norm(2, "0.weight"), $"{l1.Norm(2, "0.weight")} vs {plain.Norm(2, "0.weight")}");
    }

    [Fact]
    public void ClippingBoundsTheStep()
    {
        // Plain SGD: each step moves the parameters by lr * min(|g|, clip), so over one epoch no
        // parameter's norm can move by more than steps * lr * clip from where a 1-epoch run starts.
        const double lr = 0.05, clip = 0.05;
        var start = Train(1, "--momentum", "0", "--lr", "1e-9");
        var clipped = Train(2, "--momentum", "0", "--clip-norm", "0.05");
        var free = Train(2, "--momentum", "0");
        double bound = 2 * StepsPerEpoch * lr * clip;
        double moved = 0, movedFree = 0;
        foreach (var name in start.Norms[0].Keys)
        {
            double d = Math.Abs(clipped.Norm(2, name) - start.Norm(1, name));
            Assert.True(d <= bound + 1e-3 * start.Norm(1, name) + 1e-4, $"{name}: moved {d}, bound {bound}");
            moved += d;
            movedFree += Math.Abs(free.Norm(2, name) - start.Norm(1, name));
        }
        Assert.True(movedFree > 3 * moved, $"unclipped runs move the weights further: {movedFree} vs {moved}");
        Assert.True(clipped.Losses[^1] > free.Losses[^1], "the clipped run learns more slowly");
    }

    [Fact]
    public void DropoutChangesTheLossForTheSameSeed()
    {
        var plain = Train(2);
        var dropped = Train(2, "--dropout", "0.5");
        var again = Train(2, "--dropout", "0.5");
        Assert.Equal(dropped.Losses, again.Losses);
        // Half the hidden units silenced at training time: a noisier, higher training loss.
        Assert.True(dropped.Losses[1] > plain.Losses[1] + 0.01, $"{string.Join(", ", dropped.Losses)} vs {string.Join(", ", plain.Losses)}");
    }

    [Fact]
    public void AugmentationChangesTheBatches()
    {
        var plain = Train(1);
        var augmented = Train(1, "--augment");
        Assert.Equal(augmented.Losses, Train(1, "--augment").Losses);
        // The classes are 2-row bands 2 rows apart: shifts of up to 2 rows make neighbours overlap, so
        // the augmented batches are harder and the training loss is higher.
        Assert.True(augmented.Losses[0] > plain.Losses[0] + 0.01, $"{augmented.Losses[0]} vs {plain.Losses[0]}");
    }

    [Fact]
    public void ScheduleKeepsTheFirstEpochAndSlowsTheSecond()
    {
        var constant = Train(2, "--momentum", "0");
        var step = Train(2, "--momentum", "0", "--lr-schedule", "step");   // halves every epoch with 2 epochs
        Assert.Equal(constant.Losses[0], step.Losses[0]);
        Assert.Equal(constant.Norm(1, "0.weight"), step.Norm(1, "0.weight"));
        double Moved(Run r) => Weights.Sum(w => Math.Abs(r.Norm(2, w) - r.Norm(1, w)));
        Assert.True(Moved(step) < 0.8 * Moved(constant), $"epoch 2 moved {Moved(step)} at half rate vs {Moved(constant)}");
    }

    [Theory]
    [InlineData("momentum")]
    [InlineData("nesterov")]
    [InlineData("ema-momentum")]
    [InlineData("rmsprop")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void EveryOptimizerLearnsItsOwnWay(string optimizer)
    {
        var sgd = Train(2, "--momentum", "0");
        // The exponential-average form takes (1 - momentum) = 0.1 of the classic step: 10x the rate matches it.
        string lr = optimizer switch { "adam" or "adamw" or "rmsprop" => "0.002", "ema-momentum" => "0.5", _ => "0.05" };
        var other = Train(2, "--optimizer", optimizer, "--lr", lr);
        Assert.NotEqual(sgd.Losses, other.Losses);
        Assert.True(other.Losses[1] < other.Losses[0], $"{optimizer}: {string.Join(", ", other.Losses)}");
        Assert.True(other.TestAccuracy >= 80, $"{optimizer}: test accuracy {other.TestAccuracy}%");
    }

    [Fact]
    public void MomentumSpeedsUpLearning()
    {
        var plain = Train(2, "--momentum", "0");
        var heavy = Train(2, "--momentum", "0.9");
        Assert.True(heavy.Losses[1] < plain.Losses[1], $"{heavy.Losses[1]} vs {plain.Losses[1]}");
    }

    [Theory]
    [InlineData("--activation", "tanh")]
    [InlineData("--init", "xavier-normal")]
    [InlineData("--seed", "7")]
    public void ModelShapingOptionsChangeTheRun(string option, string value)
    {
        var baseline = Train(1);
        var changed = Train(1, option, value);
        Assert.NotEqual(baseline.Losses, changed.Losses);
        Assert.NotEqual(baseline.Norm(1, "0.weight"), changed.Norm(1, "0.weight"));
    }

    [Fact]
    public void InitNormalStartsFromSmallWeights()
    {
        // N(0, 0.01^2) over 784 x 256 weights: |w| about 0.01 * sqrt(200704) = 4.5 (PyTorch's U(+-1/28) gives 9.2).
        var r = Train(1, "--init", "normal", "--lr", "1e-9");
        Assert.InRange(r.Norm(1, "0.weight"), 4.3, 4.7);
        Assert.InRange(r.Norm(1, "0.bias"), 0, 1e-6);   // zero biases, moved only by lr 1e-9 steps
    }

    [Fact]
    public void ThreadCountDoesNotChangeTheResult()
    {
        string[] args = ["train", "--epochs", "1", "--batch-size", "32", "--data", _dir, "--diagnostics"];
        var one = CliRunner.Run([.. args, "--threads", "1"]);
        var two = CliRunner.Run([.. args, "--threads", "2"]);
        string Numbers(CliResult r) => string.Join('\n', r.Stdout.Split('\n').Where(l => l.StartsWith("  grad", StringComparison.Ordinal)));
        Assert.Equal(Numbers(one), Numbers(two));
        Assert.NotEqual("", Numbers(one));
    }

    [Fact]
    public void ValidationSplitHoldsRowsOutOfTraining()
    {
        var r = Train(1, "--validation-split", "0.25");
        Assert.Contains("(192 train, 64 test)", r.Stdout);
        Assert.Contains("validation: 64 rows held out", r.Stdout);
    }

    [Fact]
    public void EarlyStoppingStopsAndRestoresTheBestEpoch()
    {
        // lr 1 with momentum 0.9 diverges after the first epoch: the validation loss rises and training stops.
        var r = Train(30, "--lr", "1", "--early-stopping", "2");
        var m = Regex.Match(r.Stdout, @"early stopping: best validation loss (\d+\.\d{4}) at epoch (\d+); its weights restored");
        Assert.True(m.Success, r.Stdout);
        int best = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(r.Losses.Length < 30, $"ran all {r.Losses.Length} epochs");
        Assert.Equal(best + 2, r.Losses.Length);   // stopped after `patience` epochs without improvement
        // The diverged last epoch classifies at chance (~10%); the restored best weights do far better.
        Assert.True(r.TestAccuracy > 30, $"test accuracy {r.TestAccuracy}% after the restore");
    }

    [Fact]
    public void TrainAcceptsTheWholeRecipeAndNamesItInTheBanner()
    {
        var r = CliRunner.Run("train", "--epochs", "3", "--batch-size", "32", "--threads", "1", "--data", _dir,
            "--activation", "leaky-relu", "--optimizer", "adamw", "--lr", "0.002", "--lr-schedule", "cosine",
            "--weight-decay", "0.01", "--l1", "0.0001", "--dropout", "0.2", "--init", "he", "--early-stopping", "2",
            "--clip-norm", "1", "--diagnostics", "--augment", "--validation-split", "0.25");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
        Assert.Contains("MLP 784-256-128-10 (leaky ReLU), AdamW lr 0.002, cosine schedule, weight decay 0.01, L1 0.0001, dropout 0.2, init he, clip-norm 1, early stopping (patience 2), augmented", r.Stdout);
        Assert.Matches(@"act +#1 LeakyReLU", r.Stdout);
    }

    [Theory]
    [InlineData("--activation", "gelu", "'gelu' is not one of")]
    [InlineData("--optimizer", "adagrad", "'adagrad' is not one of")]
    [InlineData("--optimizer", "seed-momentum", "'seed-momentum' is not one of")]
    [InlineData("--lr-schedule", "linear", "'linear' is not one of")]
    [InlineData("--dropout", "1", "--dropout = 1 is outside [0, 1)")]
    [InlineData("--weight-decay", "-0.5", "--weight-decay = -0.5 is outside")]
    [InlineData("--init", "orthogonal", "'orthogonal' is not one of")]
    public void BadRecipeValuesAreOneLineUsageErrors(string option, string value, string message)
    {
        var r = CliRunner.Run("train", "--epochs", "1", "--data", _dir, option, value);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Single(r.StderrLines);
    }

    [Fact]
    public void MlpOnlyOptionsAreRefusedForOtherModels()
    {
        var r = CliRunner.Run("train", "--epochs", "1", "--data", _dir, "--model", "lenet", "--dropout", "0.5");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("shape the mlp model only", r.Stderr);
    }
}
