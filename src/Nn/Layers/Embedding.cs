using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// A learned table of <see cref="NumEmbeddings"/> vectors of <see cref="Dim"/> floats, looked up by
/// index: the linear layer of a one-hot input without the multiplication. An input row of p indices
/// becomes an output row of p * Dim floats (the p vectors side by side), so a language model's
/// three context words share one table.
/// </summary>
/// <remarks>
/// As a <see cref="Module"/> the input is a float tensor [batch, p] holding whole numbers (what a
/// <see cref="Dataset"/> row carries); <see cref="Forward(ReadOnlySpan{int}, int)"/> takes the
/// indices directly. The backward pass writes the whole table gradient (rows no index named are 0),
/// summing repeated indices in input order: the same bits for any thread count. An index outside
/// [0, NumEmbeddings) is an <see cref="HpcException"/> (INVALID_ARGUMENT) naming it. There is no
/// input gradient: indices are not differentiable, so Backward returns null.
/// </remarks>
public sealed unsafe class Embedding : Module
{
    private int[] _indices = [];
    private int _count;
    private Tensor? _output;

    public Embedding(int numEmbeddings, int dim, Context? ctx = null) : base(ctx)
    {
        if (numEmbeddings <= 0) throw new ArgumentOutOfRangeException(nameof(numEmbeddings), numEmbeddings, "Embedding: numEmbeddings must be > 0");
        if (dim <= 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "Embedding: dim must be > 0");
        NumEmbeddings = numEmbeddings;
        Dim = dim;
        Weight = new Parameter("weight", new Tensor(numEmbeddings, dim));
        ResetParameters(InitScheme.PyTorchDefault, new Rng(0));
    }

    public int NumEmbeddings { get; }
    public int Dim { get; }

    /// <summary>[numEmbeddings, dim]: row i is the vector of index i.</summary>
    public Parameter Weight { get; }

    public override string Name => $"Embedding({NumEmbeddings}, {Dim})";

    public override IEnumerable<Parameter> Parameters()
    {
        yield return Weight;
    }

    /// <summary>
    /// PyTorch's default (torch.nn.Embedding) is N(0, 1); the other schemes treat the table as the
    /// weight of a linear map from NumEmbeddings one-hot inputs to Dim units.
    /// </summary>
    public override void ResetParameters(InitScheme scheme, Rng rng)
    {
        if (scheme == InitScheme.PyTorchDefault) Init.Normal(Weight.Value.AsSpan(), 1.0, rng);
        else Init.Initialize(Weight.Value, NumEmbeddings, Dim, scheme, rng);
    }

    /// <summary>x: [batch, positions] of whole-number indices (stored as floats).</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        int batch = x.Rows, positions = x.Cols;
        var values = x.AsSpan();
        var indices = IndexBuffer(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            // Exact integers only: a fractional or huge value is a caller's bug, not an index.
            if (!(v == MathF.Floor(v)) || v < int.MinValue || v > int.MaxValue)
                throw new ArgumentException($"{Name}: x[{i / Math.Max(positions, 1)}, {i % Math.Max(positions, 1)}] = {v} is not an index", nameof(x));
            indices[i] = (int)v;
        }
        return Lookup(batch, positions);
    }

    /// <summary>Looks up <paramref name="indices"/> read as [batch, positions] rows of indices.</summary>
    public Tensor Forward(ReadOnlySpan<int> indices, int positions)
    {
        if (positions <= 0) throw new ArgumentOutOfRangeException(nameof(positions), positions, $"{Name}: positions must be > 0");
        if (indices.Length % positions != 0)
            throw new ArgumentException($"{Name}: {indices.Length} indices do not make rows of {positions}", nameof(indices));
        indices.CopyTo(IndexBuffer(indices.Length));
        return Lookup(indices.Length / positions, positions);
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient)
    {
        CheckForwardDone(_output);
        ArgumentNullException.ThrowIfNull(dy);
        if (dy.Length != (long)_count * Dim)
            throw new ArgumentException($"{Name}: dy has shape {dy.ShapeString()}, the forward output had {_output!.ShapeString()}", nameof(dy));
        var ctx = Context;
        fixed (int* idx = _indices)
            ctx.Check(Native.hpc_embedding_backward(ctx.Ptr, NumEmbeddings, Dim, _count, idx, dy.Data, 0f, Weight.Grad.Data));
        return null;
    }

    /// <summary>The indices of the last forward pass (valid until the next one).</summary>
    public ReadOnlySpan<int> LastIndices => _indices.AsSpan(0, _count);

    private Span<int> IndexBuffer(int count)
    {
        if (_indices.Length < count) _indices = new int[count];
        _count = count;
        return _indices.AsSpan(0, count);
    }

    private Tensor Lookup(int batch, int positions)
    {
        var y = Tensor.Ensure(ref _output, batch, positions * Dim);
        var ctx = Context;
        fixed (int* idx = _indices)
            ctx.Check(Native.hpc_embedding_forward(ctx.Ptr, NumEmbeddings, Dim, Weight.Value.Data, _count, idx, y.Data));
        return y;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _output?.Dispose();
    }
}
