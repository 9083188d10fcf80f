using System.Diagnostics;
using Hpc.Nn;
using Hpc.Tests.EndToEnd;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Conv;

/// <summary>
/// LeNet (issue 5) on the default data: 8,000 training / 2,000 held-out digits of data/mnist, SGD
/// momentum 0.9 with lr 0.05 cosine-annealed over 6 epochs, batch 64, 2 threads; must reach 98% on the
/// held-out digits.
/// </summary>
public class LeNetMnistTests(ITestOutputHelper output)
{
    [Fact]
    public void LeNetReaches98PercentOnTheHeldOutDigits()
    {
        var (train, test) = MnistTestData.LoadDefaultSplit();

        var clock = Stopwatch.StartNew();
        using var ctx = new Context(Isa.Auto, threads: 2);
        using var net = LeNet.Create(seed: 1, InitScheme.PyTorchDefault, ctx);
        using var sgd = new Sgd(net.Parameters(), lr: LearningRate, momentum: 0.9f, ctx: ctx);
        using var trainer = new Trainer(net, sgd, new CrossEntropyLoss(ctx), new TrainerOptions { Epochs = Epochs, BatchSize = 64, Seed = 1 });
        // Cosine annealing to 0 over the run settles the last epochs, so the final accuracy is not
        // a lucky (or unlucky) point of a still-noisy trajectory.
        var schedule = LearningRateSchedule.Create("cosine", LearningRate, Epochs);
        trainer.EpochStarted += (epoch, _) => schedule.Apply(sgd, epoch - 1);
        trainer.EpochCompleted += m => output.WriteLine(
            $"epoch {m.Epoch,2}: loss {m.Loss:F4}  train {m.TrainAccuracy:P2}  test {m.TestAccuracy:P2}  {m.SamplesPerSecond:N0} samples/s  {m.Elapsed.TotalSeconds:F1} s");
        var history = trainer.Fit(train, test);
        output.WriteLine($"ISA {Context.IsaName(ctx.Isa)}, 2 threads, {clock.Elapsed.TotalSeconds:F1} s in all");
        Assert.True(history.Last!.TestAccuracy >= 0.98, $"test accuracy {history.Last.TestAccuracy:P2} < 98%");
    }

    private const int Epochs = 6;
    private const float LearningRate = 0.05f;
}
