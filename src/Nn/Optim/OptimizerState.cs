namespace Hpc.Nn;

/// <summary>
/// Per-parameter state buffers of an optimizer (velocities, moment estimates): one zeroed tensor
/// per parameter, the parameter's shape, allocated once so that steps allocate nothing.
/// </summary>
internal sealed class OptimizerState : IDisposable
{
    private readonly Tensor[] _buffers;

    public OptimizerState(IReadOnlyList<Parameter> parameters)
    {
        _buffers = new Tensor[parameters.Count];
        for (int i = 0; i < _buffers.Length; i++) _buffers[i] = new Tensor(parameters[i].Value.ShapeArray());
    }

    public Tensor this[int index] => _buffers[index];

    public int Count => _buffers.Length;

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
