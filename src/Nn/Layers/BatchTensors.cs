namespace Hpc.Nn;

/// <summary>
/// A layer's reusable output (or gradient) buffers, one per distinct shape, so a layer used with a
/// training batch and an evaluation batch allocates each once and never again. Tensors cannot be
/// re-shaped to rank 4 in place, hence a buffer per shape; the least recently used is dropped past
/// <see cref="MaxEntries"/> (an odd-sized last batch then costs one allocation per epoch, not per step).
/// </summary>
internal sealed class BatchTensors : IDisposable
{
    private const int MaxEntries = 3;
    private readonly List<Tensor> _items = [];

    /// <summary>A tensor of exactly [n, c, h, w] (contents unspecified: callers overwrite it).</summary>
    public Tensor Get(int n, int c, int h, int w)
    {
        for (int i = 0; i < _items.Count; i++)
        {
            var t = _items[i];
            var s = t.Shape;
            if (s.Length == 4 && s[0] == n && s[1] == c && s[2] == h && s[3] == w)
            {
                if (i != 0)
                {
                    _items.RemoveAt(i);
                    _items.Insert(0, t);
                }
                return t;
            }
        }
        if (_items.Count == MaxEntries)
        {
            _items[^1].Dispose();
            _items.RemoveAt(_items.Count - 1);
        }
        var created = new Tensor(n, c, h, w);
        _items.Insert(0, created);
        return created;
    }

    public void Dispose()
    {
        foreach (var t in _items) t.Dispose();
        _items.Clear();
    }
}
