namespace Hpc.Bench.Peers.TorchSharp;

/// <summary>
/// One timed configuration: a name in the peers' JSON vocabulary (model, bench, batch), the call
/// that is timed, how many calls to time, and what to dispose afterwards (model, optimizer, tensors).
/// </summary>
public sealed class PeerBench(string model, string bench, int batch, int calls, Action call, params IDisposable[] owned)
    : IDisposable
{
    public string Model { get; } = model;
    public string Bench { get; } = bench;
    public int Batch { get; } = batch;
    public int Calls { get; } = calls;
    public Action Call { get; } = call;

    /// <summary>Further JSON fields (already formatted, e.g. "\"seq\":64"), or null.</summary>
    public string? Extra { get; init; }

    public void Dispose()
    {
        foreach (var d in owned) d.Dispose();
    }
}
