namespace Hpc.Nn;

/// <summary>
/// One named state buffer per parameter (a velocity, a moment estimate): zeroed tensors of the
/// parameters' shapes, allocated once so that steps allocate nothing.
/// </summary>
internal sealed class OptimizerState : IDisposable
{
    private readonly Tensor[] _buffers;

    public OptimizerState(string name, IReadOnlyList<Parameter> parameters)
    {
        Name = name;
        _buffers = new Tensor[parameters.Count];
        for (int i = 0; i < _buffers.Length; i++) _buffers[i] = new Tensor(parameters[i].Value.ShapeArray());
    }

    public string Name { get; }

    public Tensor this[int index] => _buffers[index];

    public KeyValuePair<string, Tensor> Entry(int index) => new(Name, _buffers[index]);

    /// <summary>Zeroes every buffer (a fresh start, e.g. after restoring weights).</summary>
    public void Reset()
    {
        foreach (var b in _buffers) b.Fill(0f);
    }

    public void Dispose()
    {
        foreach (var b in _buffers) b.Dispose();
    }
}
