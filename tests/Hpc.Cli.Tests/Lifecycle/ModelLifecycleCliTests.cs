using System.Text.Json;
using System.Xml.Linq;
using Hpc.Nn;
using Xunit;

namespace Hpc.Cli.Tests.Lifecycle;

/// <summary>`hpc train --save`, `hpc eval`, `hpc predict`, `hpc info model.hpc` end to end on the small generated IDX set.</summary>
[Collection("Console")]
public sealed class ModelLifecycleCliTests : IDisposable
{
    private readonly TinyMnist _data = new();
    private string Out(string name) => _data.Path(name);

    public void Dispose() => _data.Dispose();

    private CliResult Train(params string[] extra) =>
        CliRunner.Run(["train", .. extra.Contains("--epochs") ? [] : new[] { "--epochs", "2" }, "--batch-size", "32", "--threads", "1", "--data", _data.Dir, .. extra]);

    private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stderr}");

    [Fact]
    public void TrainSavesMetricsAndAValidSvgPlotThenEvalPredictAndInfoReadTheModel()
    {
        var r = Train("--save", Out("m.hpc"), "--metrics", Out("run.csv"), "--plot", Out("curves.svg"));
        Ok(r);
        Assert.Contains($"saved: {Out("m.hpc")}", r.Stdout);

        string[] csv = File.ReadAllLines(Out("run.csv"));
        Assert.Equal("epoch,loss,train_accuracy,test_loss,test_accuracy,lr,samples_per_s", csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("2,", csv[2]);
        var svg = XDocument.Load(Out("curves.svg"));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Contains("train loss", svg.ToString());

        var eval = CliRunner.Run("eval", Out("m.hpc"), "--data", _data.Dir, "--threads", "1", "--confusion", Out("confusion.svg"));
        Ok(eval);
        Assert.Matches(@"(?m)^accuracy  \d+\.\d\d% \([\d,]+ of 64\)$", eval.Stdout);
        Assert.Contains("class  support  precision  recall", eval.Stdout);
        Assert.Contains("confusion matrix (rows: true class, columns: predicted)", eval.Stdout);
        Assert.Equal("svg", XDocument.Load(Out("confusion.svg")).Root!.Name.LocalName);
        // The loss eval prints is the one the last epoch measured on the same 64 samples.
        double testLoss = double.Parse(csv[2].Split(',')[3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"loss      {testLoss.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}", eval.Stdout);

        var predict = CliRunner.Run("predict", Out("m.hpc"), _data.Path("t10k-images-idx3-ubyte"), "--json", "-k", "2", "--threads", "1");
        Ok(predict);
        var lines = predict.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(64, lines.Length);
        using (var doc = JsonDocument.Parse(lines[5]))
        {
            Assert.Equal(5, doc.RootElement.GetProperty("index").GetInt32());
            Assert.Equal(2, doc.RootElement.GetProperty("top").GetArrayLength());
            Assert.InRange(doc.RootElement.GetProperty("probability").GetDouble(), 0.1, 1.0);
        }

        var info = CliRunner.Run("info", Out("m.hpc"));
        Ok(info);
        Assert.Contains("linear 256", info.Stdout);
        Assert.Contains("200,960 parameters", info.Stdout);
        Assert.Matches(@"parameters +235,146 in 6 tensors", info.Stdout);
        Assert.Matches(@"training +epoch 2, step 16", info.Stdout);
    }

    [Fact]
    public void PredictReadsCsvRowsAndPngImagesAsTheSameSamples()
    {
        Ok(Train("--epochs", "1", "--save", Out("m.hpc")));
        var images = Idx.ReadImages(_data.Path("t10k-images-idx3-ubyte"));
        var pixels = images.Pixels.AsSpan(3 * 784, 784).ToArray();
        File.WriteAllText(Out("rows.csv"), "header,ignored\n" + string.Join(',', pixels.Select(p => (p / 255f).ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "\n");
        TinyPng.Write(Out("digit.png"), pixels, 28, 28);
        // The same digit at twice the size: area averaging brings it back to 28x28 exactly.
        var big = new byte[56 * 56];
        for (int y = 0; y < 56; y++) for (int x = 0; x < 56; x++) big[y * 56 + x] = pixels[y / 2 * 28 + x / 2];
        TinyPng.Write(Out("big.png"), big, 56, 56);

        var r = CliRunner.Run("predict", Out("m.hpc"), _data.Path("t10k-images-idx3-ubyte"), Out("rows.csv"), Out("digit.png"), Out("big.png"), "--threads", "1");
        Ok(r);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(64 + 3, lines.Length);
        string Tail(string line) => line[line.IndexOf("  class ", StringComparison.Ordinal)..];
        Assert.Equal(Tail(lines[3]), Tail(lines[64]));
        Assert.Equal(Tail(lines[3]), Tail(lines[65]));
        Assert.Equal(Tail(lines[3]), Tail(lines[66]));
    }

    [Fact]
    public void ResumingReproducesTheStraightRun()
    {
        Ok(Train("--epochs", "3", "--save", Out("straight.hpc")));
        Ok(Train("--epochs", "1", "--save", Out("half.hpc")));
        var r = Train("--epochs", "3", "--resume", Out("half.hpc"), "--save", Out("half.hpc"));
        Ok(r);
        Assert.Contains("resumed: ", r.Stdout);
        Assert.DoesNotContain("epoch 1/3", r.Stdout);
        var a = Checkpoint.Read(Out("straight.hpc"));
        var b = Checkpoint.Read(Out("half.hpc"));
        Assert.Equal(3, b.Epoch);
        for (int i = 0; i < a.Parameters.Count; i++) Assert.Equal(a.Parameters[i].Values, b.Parameters[i].Values);
    }

    [Fact]
    public void DamagedOrMissingCheckpointsAreOneLineErrorsWithExitOne()
    {
        Ok(Train("--epochs", "1", "--save", Out("m.hpc")));
        byte[] bytes = File.ReadAllBytes(Out("m.hpc"));
        File.WriteAllBytes(Out("cut.hpc"), bytes[..(bytes.Length / 2)]);
        foreach (var args in new[]
        {
            new[] { "eval", Out("cut.hpc"), "--data", _data.Dir },
            ["predict", Out("cut.hpc"), _data.Path("t10k-images-idx3-ubyte")],
            ["info", Out("cut.hpc")],
            ["info", Out("none.hpc")],
            ["eval", _data.Dir, "--data", _data.Dir],
            ["train", "--epochs", "2", "--data", _data.Dir, "--resume", Out("cut.hpc")],
        })
        {
            var r = CliRunner.Run(args);
            Assert.Equal(1, r.ExitCode);
            var line = Assert.Single(r.StderrLines);
            Assert.StartsWith("hpc: error: ", line);
            Assert.DoesNotContain("   at ", r.Stderr);
        }
        Assert.Contains("truncated", CliRunner.Run("info", Out("cut.hpc")).Stderr);
    }

    [Fact]
    public void OptionMistakesAreUsageErrors()
    {
        Assert.Equal(2, Train("--save-every-epoch").ExitCode);
        var r = Train("--plot", Out("curves.gif"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("must end in .svg or .png", r.Stderr);
        Ok(Train("--epochs", "1", "--save", Out("m.hpc")));
        var again = Train("--epochs", "1", "--resume", Out("m.hpc"));
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already at epoch 1", again.Stderr);
    }
}
