using System.Runtime.InteropServices;

namespace Hpc.Nn;

/// <summary>
/// A dense float32 row-major tensor in 64-byte aligned native memory (the alignment the SIMD
/// kernels prefer). It owns its memory: dispose it, or the finalizer frees it.
/// </summary>
/// <remarks>
/// A tensor keeps the capacity it was created with, so a layer can reshape its output buffer to a
/// smaller batch without reallocating (<see cref="TryReshape(int, int)"/>): this is what keeps
/// steady-state training free of allocations.
/// </remarks>
public sealed unsafe class Tensor : IDisposable
{
    private const nuint Alignment = 64;

    private float* _data;
    private int[] _shape;
    private long _length;
    private readonly long _capacity;
    // Set for views: the tensor whose memory this one reads (kept alive; never freed here).
    private readonly Tensor? _viewOf;

    /// <summary>Creates a zero-filled tensor of the given shape (every dimension &gt;= 0).</summary>
    public Tensor(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0) throw new ArgumentException("a tensor needs at least one dimension", nameof(shape));
        _shape = (int[])shape.Clone();
        _length = Product(_shape);
        _capacity = _length;
        // Never allocate 0 bytes: a valid non-null pointer keeps the native calls' null checks happy.
        nuint bytes = (nuint)Math.Max(_capacity, 1) * sizeof(float);
        _data = (float*)NativeMemory.AlignedAlloc(bytes, Alignment);
        if (_data == null) throw new OutOfMemoryException($"cannot allocate a tensor of {bytes} bytes");
        NativeMemory.Clear(_data, bytes);
    }

    private Tensor(Tensor source)
    {
        _viewOf = source;
        _data = source.Data;
        _shape = source.ShapeArray();
        _length = source._length;
        _capacity = source._length;
    }

    /// <summary>
    /// A tensor over <paramref name="source"/>'s memory (same shape, no copy): what lets inference
    /// workers share one set of read-only weights. Disposing the view leaves the source alone; the
    /// source must outlive it.
    /// </summary>
    internal static Tensor ViewOf(Tensor source) => new(source ?? throw new ArgumentNullException(nameof(source)));

    /// <summary>Creates a tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> data, params int[] shape)
    {
        var t = new Tensor(shape);
        if (data.Length != t._length)
        {
            t.Dispose();
            throw new ArgumentException($"data has {data.Length} values but shape [{string.Join(", ", shape)}] needs {Product(shape)}", nameof(data));
        }
        data.CopyTo(t.AsSpan());
        return t;
    }

    ~Tensor() => Free();

    /// <summary>The dimensions.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>A copy of the dimensions.</summary>
    public int[] ShapeArray() => (int[])_shape.Clone();

    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public long Length => _length;

    /// <summary>Elements the memory can hold (the length it was created with).</summary>
    public long Capacity => _capacity;

    /// <summary>The first dimension: the batch for layer inputs and outputs.</summary>
    public int Rows => _shape[0];

    /// <summary>Elements per row: the product of all dimensions but the first.</summary>
    public int Cols => _shape[0] == 0 ? (int)Product(_shape.AsSpan(1)) : (int)(_length / _shape[0]);

    /// <summary>The first element. Valid until the tensor is disposed.</summary>
    public float* Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(_data == null, this);
            return _data;
        }
    }

    public Span<float> AsSpan() => new(Data, checked((int)_length));

    /// <summary>Row <paramref name="row"/> of the tensor seen as Rows x Cols.</summary>
    public Span<float> Row(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"tensor has {Rows} rows");
        int cols = Cols;
        return new Span<float>(Data + (long)row * cols, cols);
    }

    public float[] ToArray() => AsSpan().ToArray();

    public void CopyFrom(ReadOnlySpan<float> source)
    {
        if (source.Length != _length)
            throw new ArgumentException($"source has {source.Length} values, tensor {ShapeString()} has {_length}", nameof(source));
        source.CopyTo(AsSpan());
    }

    public void Fill(float value) => AsSpan().Fill(value);

    /// <summary>Element access by full index (bounds-checked; for tests and tools, not hot loops).</summary>
    public float this[params int[] index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    /// <summary>Changes the shape to rows x cols in place if the capacity allows; no allocation.</summary>
    public bool TryReshape(int rows, int cols)
    {
        long n = (long)rows * cols;
        if (rows < 0 || cols < 0 || n > _capacity) return false;
        if (_shape.Length != 2) SwitchRank(2);
        _shape[0] = rows;
        _shape[1] = cols;
        _length = n;
        return true;
    }

    // Shape arrays kept per rank, so a buffer viewed alternately as [rows, cols] and
    // [steps, batch, features] every training step allocates only the first time.
    private int[]?[]? _shapeByRank;

    private void SwitchRank(int rank)
    {
        _shapeByRank ??= new int[]?[8];
        if (_shape.Length < _shapeByRank.Length) _shapeByRank[_shape.Length] = _shape;
        _shape = (rank < _shapeByRank.Length ? _shapeByRank[rank] : null) ?? new int[rank];
    }

    /// <summary>
    /// Changes the shape in place (any rank) if the capacity allows; allocates only the first time
    /// a rank is used. Sequence layers use it to view [steps * batch, features] rows as [steps, batch, features].
    /// </summary>
    public bool TryReshape(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0) return false;
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) return false;
            n *= d;
            if (n > _capacity) return false;
        }
        if (_shape.Length != shape.Length) SwitchRank(shape.Length);
        shape.CopyTo(_shape);
        _length = n;
        return true;
    }

    /// <summary>
    /// Makes <paramref name="buffer"/> a rows x cols tensor, reusing its memory when it is big enough.
    /// The helper every layer uses for its outputs and gradients.
    /// </summary>
    public static Tensor Ensure(ref Tensor? buffer, int rows, int cols)
    {
        if (buffer is not null && buffer.TryReshape(rows, cols)) return buffer;
        buffer?.Dispose();
        buffer = new Tensor(rows, cols);
        return buffer;
    }

    public string ShapeString() => "[" + string.Join(", ", _shape) + "]";

    public override string ToString() => $"Tensor{ShapeString()}";

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_data != null)
        {
            if (_viewOf is null) NativeMemory.AlignedFree(_data);
            _data = null;
        }
    }

    private long Offset(int[] index)
    {
        if (index.Length != _shape.Length)
            throw new ArgumentException($"index has {index.Length} dimensions, tensor {ShapeString()} has {_shape.Length}", nameof(index));
        long off = 0;
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)_shape[i])
                throw new IndexOutOfRangeException($"index {index[i]} out of range for dimension {i} of {ShapeString()}");
            off = off * _shape[i] + index[i];
        }
        return off;
    }

    private static long Product(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(shape), d, "tensor dimensions must be >= 0");
            n = checked(n * d);
        }
        if (n > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(shape), n, "tensors are limited to 2^31-1 elements");
        return n;
    }
}
