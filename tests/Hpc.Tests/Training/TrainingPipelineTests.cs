using Hpc.Nn;
using Hpc.Tests.Nn;
using Xunit;

namespace Hpc.Tests.Training;

/// <summary>The recipe's pieces together in the Trainer, as `hpc train` wires them: every optimizer,
/// activation and schedule trains a classifier; runs repeat bit for bit.</summary>
public class TrainingPipelineTests
{
    private static (TrainingHistory History, float[] Weights, double StartLoss) Train(string optimizer, string activation, string schedule, ulong seed = 1)
    {
        var all = Synthetic.Blobs(600, 12, 4, seed: 3);
        var (train, val) = ValidationSplit.Split(all, 0.25, seed: 2);
        using var net = Models.Mlp([12, 16, 4], activation, "xavier-uniform", dropout: 0.1f, seed: seed);
        // RMSProp runs with momentum 0.9 here, so its effective step is ten times its rate; the
        // exponential-average momentum's is a tenth of classic momentum's, so it gets ten times the rate.
        float lr = optimizer switch { "adam" or "adamw" => 0.01f, "rmsprop" => 0.002f, "ema-momentum" => 0.5f, _ => 0.05f };
        using var opt = new ClippedOptimizer(Optimizers.Create(optimizer, net.Parameters(), lr, 0.9f, new Penalties(1e-4f)), maxNorm: 5f);
        var sched = LearningRateSchedule.Create(schedule, lr, 6);
        using var trainer = new Trainer(net, opt, options: new TrainerOptions { Epochs = 6, BatchSize = 32, Seed = seed });
        trainer.EpochStarted += (e, _) => sched.Apply(opt, e - 1);
        double start = trainer.Evaluate(val).Loss;
        var h = trainer.Fit(train, val);
        return (h, ((Linear)net.Layers[0]).Weight.Value.ToArray(), start);
    }

    public static IEnumerable<object[]> Combos()
    {
        string[] schedules = ["none", "step", "exp", "cosine"];
        int i = 0;
        foreach (var opt in Optimizers.Names)
            foreach (var act in new[] { "relu", "tanh", "arctan", "leaky-relu", "prelu", "sigmoid" })
                yield return [opt, act, schedules[i++ % schedules.Length]];
    }

    [Theory]
    [MemberData(nameof(Combos))]
    public void EveryOptimizerAndActivationLearns(string optimizer, string activation, string schedule)
    {
        var (h, _, start) = Train(optimizer, activation, schedule);
        var last = h.Epochs[^1];
        // A nearest-centroid rule separates these blobs at about 99%; six epochs of any working rule get there.
        Assert.True(last.TestAccuracy >= 0.96, $"{optimizer}/{activation}/{schedule}: validation accuracy {last.TestAccuracy:P1}");
        // Against the untrained network's validation loss (ln 4 = 1.39 at chance), not a first-epoch mean.
        Assert.True(last.TestLoss < 0.25 * start, $"{optimizer}/{activation}/{schedule}: validation loss {start} -> {last.TestLoss}");
    }

    [Fact]
    public void SameSeedSameWeights()
    {
        var a = Train("adam", "prelu", "cosine", seed: 5).Weights;
        var b = Train("adam", "prelu", "cosine", seed: 5).Weights;
        var c = Train("adam", "prelu", "cosine", seed: 6).Weights;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
