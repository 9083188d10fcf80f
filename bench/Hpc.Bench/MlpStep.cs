using BenchmarkDotNet.Attributes;
using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>The MLP training step through src/Nn at batch 64 and 128, 1 and 2 threads, on the
/// default SIMD path and on OpenBLAS GEMMs (when built), against PyTorch's figures in RESULTS.md.</summary>
public class MlpStep
{
    [ParamsSource(nameof(IsaValues))] public Isa Isa;
    [Params(1, 2)] public int Threads;
    [Params(64, 128)] public int Batch;

    public static IEnumerable<Isa> IsaValues() => Paths.EndToEnd();

    private MlpFixture _mlp = null!;

    [GlobalSetup]
    public void Setup() => _mlp = new MlpFixture(Isa, Threads, Batch);

    [Benchmark]
    public float Step() => _mlp.Step();

    [GlobalCleanup]
    public void Cleanup() => _mlp.Dispose();
}

/// <summary>Batch-1 MLP inference latency (BenchmarkDotNet's median; the p99 comes from
/// <c>--latency</c> mode, which times every call).</summary>
public class MlpInference
{
    [ParamsSource(nameof(IsaValues))] public Isa Isa;
    [Params(1, 2)] public int Threads;

    public static IEnumerable<Isa> IsaValues() => Paths.EndToEnd();

    private MlpFixture _mlp = null!;

    [GlobalSetup]
    public void Setup() => _mlp = new MlpFixture(Isa, Threads, batch: 1);

    [Benchmark]
    public Tensor Infer() => _mlp.Infer();

    [GlobalCleanup]
    public void Cleanup() => _mlp.Dispose();
}
