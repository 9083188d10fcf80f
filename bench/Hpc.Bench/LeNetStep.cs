using BenchmarkDotNet.Attributes;
using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>The LeNet training step (batch 64) through src/Nn, 1 and 2 threads.</summary>
public class LeNetStep
{
    [ParamsSource(nameof(IsaValues))] public Isa Isa;
    [Params(1, 2)] public int Threads;

    public static IEnumerable<Isa> IsaValues() => Paths.EndToEnd().Take(1);

    private LeNetFixture _net = null!;

    [GlobalSetup]
    public void Setup() => _net = new LeNetFixture(Isa, Threads, batch: 64);

    [Benchmark]
    public float Step() => _net.Step();

    [GlobalCleanup]
    public void Cleanup() => _net.Dispose();
}

/// <summary>Batch-1 LeNet inference (median here; p99 from --latency).</summary>
public class LeNetInference
{
    [ParamsSource(nameof(IsaValues))] public Isa Isa;
    [Params(1, 2)] public int Threads;

    public static IEnumerable<Isa> IsaValues() => Paths.EndToEnd().Take(1);

    private LeNetFixture _net = null!;

    [GlobalSetup]
    public void Setup() => _net = new LeNetFixture(Isa, Threads, batch: 1);

    [Benchmark]
    public Tensor Infer() => _net.Infer();

    [GlobalCleanup]
    public void Cleanup() => _net.Dispose();
}
