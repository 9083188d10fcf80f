using Hpc.Nn;
using Hpc.Tests.Nn;
using Xunit;

namespace Hpc.Tests.Inference;

/// <summary>One session, many threads: the same outputs as the model itself, no allocation per call.</summary>
public sealed class InferenceSessionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpc-session-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SaveModel(Sequential model, string name)
    {
        string path = Path.Combine(_dir, name);
        model.Save(path);
        return path;
    }

    [Theory]
    [InlineData("mlp", 1)]
    [InlineData("mlp", 7)]
    [InlineData("lenet", 1)]
    [InlineData("lenet", 3)]
    public void PredictionsEqualTheModelsForwardPass(string kind, int batch)
    {
        using var ctx = new Context(Isa.Auto, 1);
        using var model = kind == "mlp" ? Models.Mlp(Models.DefaultMlpSizes, seed: 4, ctx: ctx) : Models.LeNet(seed: 4, ctx: ctx);
        using var session = InferenceSession.Load(SaveModel(model, kind + ".hpc"));
        Assert.Equal(784, session.InputFeatures);
        Assert.Equal(10, session.OutputFeatures);
        using var x = Synthetic.RandomTensor(3, 1.0, batch, 784);
        float[] expected = model.Forward(x, training: false).ToArray();
        var actual = new float[batch * 10];
        session.Predict(x.AsSpan(), actual);
        Assert.Equal(expected, actual);
        int cls = session.PredictClass(x.Row(0));
        Assert.Equal(Array.IndexOf(expected[..10], expected[..10].Max()), cls);
    }

    [Fact]
    public void EightThreadsTimesTenThousandEqualOneThreadWithoutAllocating()
    {
        using var model = Models.Mlp(Models.DefaultMlpSizes, seed: 9);
        using var session = InferenceSession.Load(SaveModel(model, "mlp.hpc"), new InferenceOptions { MaxConcurrency = 8 });
        const int samples = 64, threads = 8, calls = 10_000;
        var inputs = Synthetic.RandomTensor(5, 1.0, samples, 784).ToArray();
        var reference = new float[samples * 10];
        for (int s = 0; s < samples; s++) session.Predict(inputs.AsSpan(s * 784, 784), reference.AsSpan(s * 10, 10));

        var mismatches = new int[threads];
        var allocated = new long[threads];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var output = new float[10];
            // Warm-up under contention: the first calls create the workspaces, and the runtime
            // creates each thread's lock-wait objects the first time it waits. Both happen once.
            start.SignalAndWait();
            for (int i = 0; i < 1000; i++) session.Predict(inputs.AsSpan(i % samples * 784, 784), output);
            start.SignalAndWait();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++)
            {
                int s = (i * 7 + t) % samples;
                session.Predict(inputs.AsSpan(s * 784, 784), output);
                if (!output.AsSpan().SequenceEqual(reference.AsSpan(s * 10, 10))) mismatches[t]++;
            }
            allocated[t] = GC.GetAllocatedBytesForCurrentThread() - before;
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Equal(new int[threads], mismatches);
        Assert.Equal(new long[threads], allocated);
        Assert.InRange(session.Workers, 1, 8);
    }

    [Fact]
    public void CallersBeyondTheConcurrencyLimitWaitForAWorkspace()
    {
        using var model = Models.Mlp([8, 4, 3], seed: 2);
        using var session = InferenceSession.FromModel(model, new InferenceOptions { MaxConcurrency = 2 });
        var x = new float[8];
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 6 }, _ =>
        {
            Span<float> y = stackalloc float[3];
            session.Predict(x, y);
        });
        Assert.InRange(session.Workers, 1, 2);
    }

    [Fact]
    public void WrongSizesAreArgumentErrors()
    {
        using var model = Models.Mlp([8, 3], seed: 2);
        using var session = InferenceSession.FromModel(model);
        Assert.Contains("not a positive multiple of the 8", Assert.Throws<ArgumentException>(() => session.Predict(new float[9], new float[3])).Message);
        Assert.Contains("2 samples need 6", Assert.Throws<ArgumentException>(() => session.Predict(new float[16], new float[3])).Message);
    }
}
