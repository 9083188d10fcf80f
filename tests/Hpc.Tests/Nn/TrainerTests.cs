using Hpc.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Nn;

public class TrainerTests(ITestOutputHelper output)
{
    private static (Sequential Net, Sgd Opt, Trainer Trainer) Build(ulong seed, Context? ctx = null, int batch = 32, int epochs = 2)
    {
        var net = Models.Mlp([20, 16, 12, 4], "relu", "he-normal", seed: seed, ctx: ctx);
        var opt = new Sgd(net.Parameters(), lr: 0.05f, momentum: 0.9f, weightDecay: 1e-4f, ctx: ctx);
        var trainer = new Trainer(net, opt, new CrossEntropyLoss(ctx), new TrainerOptions { Epochs = epochs, BatchSize = batch, Seed = seed });
        return (net, opt, trainer);
    }

    [Fact]
    public void LearnsSeparableBlobsAndReportsEveryEpochAndBatch()
    {
        var train = Synthetic.Blobs(600, 20, 4, seed: 1);
        var test = Synthetic.Blobs(200, 20, 4, seed: 1, sampleSeed: 99);
        var (net, opt, trainer) = Build(seed: 3, epochs: 3);
        int batches = 0;
        var epochs = new List<EpochMetrics>();
        trainer.EpochStarted += (e, n) => Assert.Equal(19, n); // ceil(600 / 32)
        trainer.BatchCompleted += p => { batches++; Assert.True(float.IsFinite(p.Loss)); Assert.Equal(batches, p.Step); };
        trainer.EpochCompleted += epochs.Add;
        var history = trainer.Fit(train, test);
        foreach (var m in history.Epochs) output.WriteLine(m.ToString());
        Assert.Equal(3 * 19, batches);
        Assert.Equal(history.Epochs, epochs);
        Assert.True(history.Last!.Loss < history.Epochs[0].Loss, "training loss should fall");
        // The blobs are separable at ~99.9%: three epochs of momentum SGD must get to 99%.
        Assert.True(history.Last.TestAccuracy >= 0.99, $"test accuracy {history.Last.TestAccuracy}");
        Assert.True(history.Last.SamplesPerSecond > 0);
        // The reported accuracy against one counted here from the network's own outputs.
        using var x = Tensor.FromArray(test.Features, test.Count, test.FeatureCount);
        var logits = net.Forward(x, training: false).ToArray();
        int correct = 0;
        for (int r = 0; r < test.Count; r++)
        {
            var row = logits.AsSpan(r * 4, 4);
            int best = 0;
            for (int c = 1; c < 4; c++) if (row[c] > row[best]) best = c;
            if (best == test.Labels[r]) correct++;
        }
        Assert.Equal(correct / (double)test.Count, history.Last.TestAccuracy, 12);
        Assert.Equal(test.Count, trainer.Predict(test).Length);
        trainer.Dispose(); opt.Dispose(); net.Dispose();
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeights()
    {
        var data = Synthetic.Blobs(300, 20, 4, seed: 2);
        float[][] Run(ulong seed)
        {
            var (net, opt, trainer) = Build(seed);
            trainer.Fit(data);
            var w = net.Parameters().Select(p => p.Value.ToArray()).ToArray();
            trainer.Dispose(); opt.Dispose(); net.Dispose();
            return w;
        }
        var a = Run(5);
        var b = Run(5);
        var c = Run(6);
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i]);
        Assert.NotEqual(a[0], c[0]);
    }

    [Fact]
    public void ANonFiniteLossStopsTheRunNamingTheStep()
    {
        var data = Synthetic.Blobs(256, 20, 4, seed: 3);
        data.Features[100 * 20 + 7] = float.NaN; // row 100 is in batch 4 (rows 96..127) without shuffling
        var (net, opt, _) = Build(seed: 1);
        using var trainer = new Trainer(net, opt, options: new TrainerOptions { Epochs = 1, BatchSize = 32, Shuffle = false });
        var e = Assert.Throws<NonFiniteLossException>(() => trainer.Fit(data));
        Assert.Equal(4, e.Step);
        Assert.Equal(1, e.Epoch);
        Assert.Equal(4, e.Batch);
        Assert.Contains("at step 4 (epoch 1, batch 4)", e.Message);
        opt.Dispose(); net.Dispose();
    }

    [Fact]
    public void RequestStopEndsAfterTheCurrentEpoch()
    {
        var data = Synthetic.Blobs(100, 20, 4, seed: 4);
        var (net, opt, trainer) = Build(seed: 1, epochs: 5);
        trainer.EpochCompleted += m => { if (m.Epoch == 2) trainer.RequestStop(); };
        var h = trainer.Fit(data);
        Assert.Equal(2, h.Epochs.Count);
        Assert.True(h.Stopped);
        trainer.Dispose(); opt.Dispose(); net.Dispose();
    }

    [Fact]
    public void SteadyStateTrainingStepsAllocateNothing()
    {
        var data = Synthetic.Blobs(64, 20, 4, seed: 5);
        var (net, opt, trainer) = Build(seed: 1);
        using var x = Tensor.FromArray(data.Features, 64, 20);
        var labels = data.Labels;
        // Warm-up: buffers are created on first use, the JIT compiles, tiered compilation settles.
        for (int i = 0; i < 50; i++) trainer.TrainStep(x, labels, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) trainer.TrainStep(x, labels, out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        trainer.Dispose(); opt.Dispose(); net.Dispose();
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        using var net = Models.Mlp([2, 2]);
        using var opt = new Sgd(net.Parameters(), 0.1f);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(net, opt, options: new TrainerOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(net.Parameters(), float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(net.Parameters(), 0.1f, momentum: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(net.Parameters(), 0.1f, weightDecay: -1f));
    }
}
