using Hpc.Interop;

namespace Hpc.Nn.Neuro;

/// <summary>
/// Connections from a population to a synapse filter: each spike of pre-synaptic neuron j adds
/// w_ij to the filter input of every post-synaptic neuron i. Dense weights are stored column by
/// column so a spike reads one contiguous column (cost proportional to spikes, not to the matrix);
/// sparse weights are CSR rows by pre-synaptic neuron (cost proportional to the synapses of the
/// neurons that spiked).
/// </summary>
public sealed unsafe class Projection
{
    private readonly float[]? _dense;   // pre-major: _dense[j * post + i] = w_ij
    private readonly long[]? _rowPtr;
    private readonly hpc_synapse[]? _synapses; // (target, weight) pairs: a spike's row is one stretch of memory

    private Projection(NeuronPopulation pre, SynapseFilter post, float[]? dense, long[]? rowPtr, hpc_synapse[]? synapses)
    {
        Pre = pre;
        Post = post;
        _dense = dense;
        _rowPtr = rowPtr;
        _synapses = synapses;
    }

    public NeuronPopulation Pre { get; }
    public SynapseFilter Post { get; }

    /// <summary>True for a CSR matrix.</summary>
    public bool IsSparse => _rowPtr != null;

    /// <summary>Stored connections (every entry of a dense matrix).</summary>
    public long SynapseCount => _rowPtr != null ? _rowPtr[^1] : (long)Pre.Size * Post.Size;

    /// <summary>The synapses of pre-synaptic neuron j (post.Size for a dense matrix): the weights one of its spikes adds.</summary>
    public int FanOut(int j)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(j);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(j, Pre.Size);
        return _rowPtr != null ? (int)(_rowPtr[j + 1] - _rowPtr[j]) : Post.Size;
    }

    /// <summary>
    /// A dense projection from the seed's M x N weight matrix: weights[i, j] is the weight from
    /// pre-synaptic neuron j (of N = pre.Size) to post-synaptic neuron i (of M = post.Size).
    /// </summary>
    public static Projection Dense(NeuronPopulation pre, SynapseFilter post, float[,] weights)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.GetLength(0) != post.Size || weights.GetLength(1) != pre.Size)
            throw new ArgumentException(
                $"weights are {weights.GetLength(0)} x {weights.GetLength(1)}; a projection from {pre.Size} to {post.Size} neurons needs {post.Size} x {pre.Size}",
                nameof(weights));
        int m = post.Size, n = pre.Size;
        var w = GC.AllocateArray<float>(checked(m * n), pinned: true);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) w[j * m + i] = weights[i, j];
        return new Projection(pre, post, w, null, null);
    }

    /// <summary>
    /// A sparse projection in CSR by pre-synaptic neuron: row j holds the synapses of pre-synaptic
    /// neuron j, columns[rowPtr[j] .. rowPtr[j + 1]) ascending post-synaptic indices with their weights.
    /// The matrix is checked once here (the arrays are copied).
    /// </summary>
    public static Projection Sparse(NeuronPopulation pre, SynapseFilter post, ReadOnlySpan<long> rowPtr,
        ReadOnlySpan<int> columns, ReadOnlySpan<float> weights)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(post);
        if (rowPtr.Length != pre.Size + 1)
            throw new ArgumentException($"rowPtr has {rowPtr.Length} entries; {pre.Size} pre-synaptic neurons need {pre.Size + 1}", nameof(rowPtr));
        if (columns.Length != weights.Length)
            throw new ArgumentException($"{columns.Length} columns but {weights.Length} weights", nameof(weights));
        var rp = GC.AllocateArray<long>(rowPtr.Length, pinned: true);
        var syn = GC.AllocateArray<hpc_synapse>(columns.Length, pinned: true);
        rowPtr.CopyTo(rp);
        for (int e = 0; e < syn.Length; e++) syn[e] = new hpc_synapse { target = columns[e], weight = weights[e] };
        using (var ctx = new Context(Isa.Scalar))
        {
            fixed (long* r = rp)
            fixed (hpc_synapse* s = syn)
                ctx.Check(Native.hpc_csr_check(ctx.Ptr, pre.Size, post.Size, syn.Length, r, s));
        }
        return new Projection(pre, post, null, rp, syn);
    }

    /// <summary>
    /// Random connectivity: each (pre, post) pair is connected with probability p, weights uniform
    /// on [lo, hi), both from the library's Philox generator keyed by seed (the same matrix on every
    /// ISA path and thread count).
    /// </summary>
    public static Projection Random(Context ctx, NeuronPopulation pre, SynapseFilter post, float p, float lo, float hi, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(post);
        var rp = GC.AllocateArray<long>(pre.Size + 1, pinned: true);
        long nnz;
        fixed (long* r = rp)
            ctx.Check(Native.hpc_random_csr_rows(ctx.Ptr, seed, pre.Size, post.Size, p, r, &nnz));
        if (nnz > int.MaxValue) throw new ArgumentException($"{nnz} synapses exceed the 2^31 an array holds", nameof(p));
        var syn = GC.AllocateArray<hpc_synapse>((int)nnz, pinned: true);
        fixed (long* r = rp)
        fixed (hpc_synapse* s = syn)
            ctx.Check(Native.hpc_random_csr_fill(ctx.Ptr, seed, pre.Size, post.Size, p, lo, hi, r, s));
        return new Projection(pre, post, null, rp, syn);
    }

    /// <summary>Adds the weights of the pre-synaptic neurons that spiked in their last step to the filter input.</summary>
    public void Propagate(Context ctx)
    {
        int count = Pre.SpikeCount;
        if (count == 0) return;
        fixed (int* spikes = Pre.Spikes)
        fixed (float* target = Post.Input)
        {
            if (_dense != null)
            {
                fixed (float* w = _dense)
                    ctx.Check(Native.hpc_spikes_propagate_dense(ctx.Ptr, Pre.Size, Post.Size, w, spikes, count, target));
            }
            else
            {
                fixed (long* r = _rowPtr)
                fixed (hpc_synapse* s = _synapses)
                    ctx.Check(Native.hpc_spikes_propagate_csr(ctx.Ptr, Pre.Size, Post.Size, _synapses!.Length, r, s, spikes, count, target));
            }
        }
    }
}
