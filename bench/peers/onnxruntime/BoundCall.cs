using Microsoft.ML.OnnxRuntime;

namespace Hpc.Bench.Peers.OnnxRuntime;

/// <summary>
/// One caller's batch-1 run of a session: its input (random, fixed) and output buffers wrapped as
/// OrtValues and bound once, so a call is RunWithBinding alone.
/// </summary>
public sealed class BoundCall : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtValue _input, _output;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _run = new();

    public BoundCall(InferenceSession session)
    {
        _session = session;
        var (inName, inMeta) = session.InputMetadata.Single();
        var (outName, outMeta) = session.OutputMetadata.Single();
        long[] inShape = inMeta.Dimensions.Select(d => (long)d).ToArray();
        long[] outShape = outMeta.Dimensions.Select(d => (long)d).ToArray();
        var rng = new Random(7);
        var x = new float[inShape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextSingle();
        _input = OrtValue.CreateTensorValueFromMemory(x, inShape);
        _output = OrtValue.CreateTensorValueFromMemory(new float[outShape.Aggregate(1L, (a, b) => a * b)], outShape);
        _binding = session.CreateIoBinding();
        _binding.BindInput(inName, _input);
        _binding.BindOutput(outName, _output);
    }

    public void Run() => _session.RunWithBinding(_run, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _run.Dispose();
        _input.Dispose();
        _output.Dispose();
    }
}
