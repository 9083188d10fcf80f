using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// y = x W + b for sparse inputs x [batch, inFeatures] (a <see cref="SparseBatch"/>), with W stored
/// [inFeatures, outFeatures]: one row per input feature, so a batch touches only the rows of the
/// features it holds. The backward pass computes the gradient of those rows alone
/// (<see cref="TouchedRows"/>, <see cref="RowGradients"/>) and the bias gradient; the dense
/// <see cref="Parameter.Grad"/> of the weight is not written (see <see cref="ScatterWeightGradient"/>).
/// Train it with <see cref="SparseAdam"/> or <see cref="LazySgd"/>, which update only those rows.
/// </summary>
public sealed unsafe class SparseLinear : IDisposable
{
    private SparseBatch? _input;
    private Tensor? _output;
    private int[] _rows = [];
    private float[] _rowGrads = [];

    public SparseLinear(int inFeatures, int outFeatures, bool bias = true, Context? ctx = null)
    {
        if (inFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "SparseLinear: inFeatures must be > 0");
        if (outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "SparseLinear: outFeatures must be > 0");
        Context = ctx ?? Context.Default;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter("weight", new Tensor(inFeatures, outFeatures));
        if (bias) Bias = new Parameter("bias", new Tensor(outFeatures), weightDecay: false);
    }

    public Context Context { get; }
    public int InFeatures { get; }
    public int OutFeatures { get; }

    /// <summary>[in, out]: row f holds feature f's weight for every output.</summary>
    public Parameter Weight { get; }
    public Parameter? Bias { get; }

    public IEnumerable<Parameter> Parameters()
    {
        yield return Weight;
        if (Bias is not null) yield return Bias;
    }

    /// <summary>Rows of W the last backward pass touched, increasing.</summary>
    public ReadOnlySpan<int> TouchedRows => _rows.AsSpan(0, TouchedCount);
    public int TouchedCount { get; private set; }

    /// <summary>[TouchedCount, out]: the gradient of each touched row.</summary>
    public ReadOnlySpan<float> RowGradients => _rowGrads.AsSpan(0, TouchedCount * OutFeatures);

    internal int[] RowsArray => _rows;
    internal float[] RowGradientsArray => _rowGrads;

    public Tensor Forward(SparseBatch x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.FeatureCount != InFeatures)
            throw new ArgumentException($"SparseLinear({InFeatures}, {OutFeatures}): x has {x.FeatureCount} features", nameof(x));
        var y = Tensor.Ensure(ref _output, x.Rows, OutFeatures);
        var ctx = Context;
        fixed (long* off = x.Offsets)
        fixed (int* cols = x.Columns)
        fixed (float* vals = x.Values)
            ctx.Check(Native.hpc_csr_matmul(ctx.Ptr, x.Rows, InFeatures, OutFeatures, x.Columns.Length, off, cols, vals,
                Weight.Value.Data, Bias is null ? null : Bias.Value.Data, y.Data));
        _input = x;
        return y;
    }

    /// <summary>Gradients of the touched rows and of the bias, from dLoss/dy of the last forward.</summary>
    public void Backward(Tensor dy)
    {
        var x = _input ?? throw new InvalidOperationException("SparseLinear: Backward called before Forward");
        ArgumentNullException.ThrowIfNull(dy);
        if (dy.Rows != x.Rows || dy.Cols != OutFeatures)
            throw new ArgumentException($"SparseLinear: dy has shape {dy.ShapeString()}, expected [{x.Rows}, {OutFeatures}]", nameof(dy));
        long used = x.Count;
        if (_rows.Length < used) _rows = new int[Math.Max(used, 16)];
        var ctx = Context;
        long count;
        fixed (long* off = x.Offsets)
        fixed (int* cols = x.Columns)
        fixed (int* rows = _rows)
        {
            ctx.Check(Native.hpc_csr_touched_rows(ctx.Ptr, x.Rows, InFeatures, x.Columns.Length, off, cols, rows, &count));
            if (_rowGrads.Length < count * OutFeatures) _rowGrads = new float[Math.Max(count * OutFeatures, 16)];
            fixed (float* vals = x.Values)
            fixed (float* g = _rowGrads)
                ctx.Check(Native.hpc_csr_weight_grad(ctx.Ptr, x.Rows, InFeatures, OutFeatures, x.Columns.Length, off, cols, vals,
                    dy.Data, count, rows, g));
        }
        TouchedCount = (int)count;
        if (Bias is not null)
            ctx.Check(Native.hpc_sum_rows(ctx.Ptr, x.Rows, OutFeatures, dy.Data, OutFeatures, 0f, Bias.Grad.Data));
    }

    /// <summary>Writes the full dense weight gradient (zeros off the touched rows) into Weight.Grad: for checks, not training.</summary>
    public void ScatterWeightGradient()
    {
        var g = Weight.Grad.AsSpan();
        g.Clear();
        for (int t = 0; t < TouchedCount; t++)
            RowGradients.Slice(t * OutFeatures, OutFeatures).CopyTo(g.Slice(_rows[t] * OutFeatures, OutFeatures));
    }

    public void Dispose()
    {
        Weight.Dispose();
        Bias?.Dispose();
        _output?.Dispose();
    }
}
