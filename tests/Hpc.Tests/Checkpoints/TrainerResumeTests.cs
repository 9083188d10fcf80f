using Hpc.Nn;
using Hpc.Tests.Nn;
using Xunit;

namespace Hpc.Tests.Checkpoints;

/// <summary>5 epochs, save, resume in a fresh trainer, 5 more: the weights of 10 epochs, bit for bit.</summary>
public sealed class TrainerResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpc-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Dataset Train = Synthetic.Blobs(200, 10, 4, seed: 3);
    private static readonly Dataset Test = Synthetic.Blobs(50, 10, 4, seed: 3, sampleSeed: 8);

    private sealed record Run(Sequential Model, Optimizer Optimizer, Trainer Trainer) : IDisposable
    {
        public void Dispose()
        {
            Trainer.Dispose();
            Optimizer.Dispose();
            Model.Dispose();
        }
    }

    private static Run Start(string optimizer, int epochs, Context ctx, string? checkpoint = null, bool everyEpoch = false, string? best = null)
    {
        var model = Models.Mlp([10, 16, 4], "relu", dropout: 0.2f, seed: 7, ctx: ctx);
        var opt = Optimizers.Create(optimizer, model.Parameters(), optimizer.StartsWith("adam") ? 0.01f : 0.05f, momentum: 0.9f, ctx: ctx);
        var trainer = new Trainer(model, opt, new CrossEntropyLoss(ctx), new TrainerOptions
        {
            Epochs = epochs, BatchSize = 16, Seed = 5, CheckpointPath = checkpoint, CheckpointEveryEpoch = everyEpoch, BestCheckpointPath = best,
        });
        return new Run(model, opt, trainer);
    }

    [Theory]
    [InlineData("momentum", 1)]
    [InlineData("adam", 1)]
    [InlineData("nesterov", 2)]
    public void FiveEpochsResumeFiveMoreEqualsTen(string optimizer, int threads)
    {
        using var ctx = new Context(Isa.Auto, threads);
        using var straight = Start(optimizer, 10, ctx);
        straight.Trainer.Fit(Train, Test);

        string path = Path.Combine(_dir, "half.hpc");
        using (var first = Start(optimizer, 5, ctx, checkpoint: path))
            first.Trainer.Fit(Train, Test);

        using var resumed = Start(optimizer, 10, ctx);
        var saved = resumed.Trainer.Resume(path);
        Assert.Equal(5, saved.Epoch);
        Assert.Equal(5, resumed.Trainer.Epoch);
        var history = resumed.Trainer.Fit(Train, Test);
        Assert.Equal([6, 7, 8, 9, 10], history.Epochs.Select(e => e.Epoch));
        Assert.Equal(straight.Trainer.Step, resumed.Trainer.Step);
        CheckpointRoundTripTests.AssertSameWeights(straight.Model, resumed.Model);
    }

    [Fact]
    public void SavesEveryEpochAndTheBestByEvaluationLoss()
    {
        using var ctx = new Context(Isa.Auto, 1);
        string every = Path.Combine(_dir, "every.hpc"), best = Path.Combine(_dir, "best.hpc");
        using var run = Start("momentum", 4, ctx, checkpoint: every, everyEpoch: true, best: best);
        var seen = new List<int?>();
        run.Trainer.EpochCompleted += m => { if (m.Epoch > 1) seen.Add(Checkpoint.Read(every).Epoch); };
        var history = run.Trainer.Fit(Train, Test);
        // Read during epoch e's handler, the file holds epoch e - 1 (the save follows the event).
        Assert.Equal([1, 2, 3], seen);
        Assert.Equal(4, Checkpoint.Read(every).Epoch);
        int bestEpoch = history.Epochs.MinBy(e => e.TestLoss)!.Epoch;
        var b = Checkpoint.Read(best);
        Assert.Equal(bestEpoch, b.Epoch);
        Assert.Equal(history.Epochs[bestEpoch - 1].TestAccuracy.ToString("R", System.Globalization.CultureInfo.InvariantCulture), b.Metadata["test.accuracy"]);
    }

    [Fact]
    public void ResumingADifferentArchitectureOrAPlainModelFileIsAClearError()
    {
        using var ctx = new Context(Isa.Auto, 1);
        string path = Path.Combine(_dir, "run.hpc");
        using (var run = Start("momentum", 1, ctx, checkpoint: path)) run.Trainer.Fit(Train);
        using var other = Models.Mlp([10, 8, 4], ctx: ctx);
        using var opt = new Sgd(other.Parameters(), 0.05f, 0.9f);
        using var trainer = new Trainer(other, opt);
        Assert.Contains("differs from the trainer's", Assert.Throws<CheckpointException>(() => trainer.Resume(path)).Message);

        string plain = Path.Combine(_dir, "plain.hpc");
        other.Save(plain);
        Assert.Contains("saved by Save, not by a Trainer", Assert.Throws<CheckpointException>(() => trainer.Resume(plain)).Message);
    }
}
