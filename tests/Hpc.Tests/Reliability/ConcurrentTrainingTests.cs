using Hpc.Nn;
using Hpc.Tests.Nn;
using Xunit;

namespace Hpc.Tests.Reliability;

/// <summary>
/// Many contexts on many threads at once, each training its own model and predicting with it:
/// every result equals the same work done serially, bit for bit (a context is used by one thread
/// at a time; contexts share nothing). A few seconds here; test_concurrency (CTest, and under
/// ThreadSanitizer in ./build.sh sanitize) covers the kernels, repeatable for longer runs.
/// </summary>
public class ConcurrentTrainingTests
{
    private static (float[] Weights, int[] Predictions) TrainAndPredict(ulong seed, int threads)
    {
        using var ctx = new Context(threads: threads);
        var data = Synthetic.Blobs(384, 20, 4, seed: seed);
        using var net = Models.Mlp([20, 32, 16, 4], "tanh", "xavier-uniform", seed: seed, ctx: ctx);
        using var opt = new Adam(net.Parameters(), lr: 1e-2f, ctx: ctx);
        using var trainer = new Trainer(net, opt, new CrossEntropyLoss(ctx),
            new TrainerOptions { Epochs = 2, BatchSize = 32, Seed = seed, CheckFiniteValues = true });
        trainer.Fit(data);
        return (net.Parameters().SelectMany(p => p.Value.ToArray()).ToArray(), trainer.Predict(data));
    }

    [Fact]
    public void ContextsTrainingOnSeveralThreadsAtOnceMatchTheSerialRuns()
    {
        var jobs = Enumerable.Range(0, 6).Select(i => (Seed: (ulong)(10 + i), Threads: 1 + i % 2)).ToArray();
        var serial = jobs.Select(j => TrainAndPredict(j.Seed, j.Threads)).ToArray();
        for (int round = 0; round < 2; round++)
        {
            var parallel = new (float[] Weights, int[] Predictions)[jobs.Length];
            var threads = jobs.Select((j, i) => new Thread(() => parallel[i] = TrainAndPredict(j.Seed, j.Threads))).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            for (int i = 0; i < jobs.Length; i++)
            {
                Assert.Equal(serial[i].Weights, parallel[i].Weights);
                Assert.Equal(serial[i].Predictions, parallel[i].Predictions);
            }
        }
    }
}
