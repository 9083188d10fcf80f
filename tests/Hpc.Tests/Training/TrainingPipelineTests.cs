using Hpc.Nn;
using Hpc.Tests.Nn;
using Xunit;

namespace Hpc.Tests.Training;

/// <summary>The issue-4 pieces together in the Trainer, as `hpc train` wires them: every optimizer,
/// activation and schedule trains a classifier; runs repeat bit for bit.</summary>
public class TrainingPipelineTests
{
    private static (TrainingHistory History, float[] Weights) Train(string optimizer, string activation, string schedule, ulong seed = 1)
    {
        var all = Synthetic.Blobs(600, 12, 4, seed: 3);
        var (train, val) = ValidationSplit.Split(all, 0.25, seed: 2);
        using var net = Models.Mlp([12, 16, 4], activation, "xavier-uniform", dropout: 0.1f, seed: seed);
        // RMSProp runs with momentum 0.9 here, so its effective step is ten times its rate.
        float lr = optimizer switch { "adam" or "adamw" => 0.01f, "rmsprop" => 0.002f, _ => 0.05f };
        using var opt = new ClippedOptimizer(Optimizers.Create(optimizer, net.Parameters(), lr, 0.9f, new Penalties(1e-4f)), maxNorm: 5f);
        var sched = LearningRateSchedule.Create(schedule, lr, 6);
        using var trainer = new Trainer(net, opt, options: new TrainerOptions { Epochs = 6, BatchSize = 32, Seed = seed });
        trainer.EpochStarted += (e, _) => sched.Apply(opt, e - 1);
        var h = trainer.Fit(train, val);
        return (h, ((Linear)net.Layers[0]).Weight.Value.ToArray());
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
        var (h, _) = Train(optimizer, activation, schedule);
        var first = h.Epochs[0];
        var last = h.Epochs[^1];
        Assert.True(last.TestAccuracy > 0.8, $"{optimizer}/{activation}/{schedule}: validation accuracy {last.TestAccuracy:P1}");
        Assert.True(last.Loss < first.Loss, $"{optimizer}/{activation}/{schedule}: loss {first.Loss} -> {last.Loss}");
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
