using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Parametric ReLU with a learnable slope per unit (seed 002 eq. 47-51): a = z if z &gt; 0, else
/// lambda_j z; dE/dlambda_j = sum over the batch of dE/da * z where z &lt;= 0. The slopes are not
/// weight-decayed (like biases).
/// </summary>
public sealed unsafe class PReLU : Module
{
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _dx;

    public PReLU(int units, float initialSlope = 0.25f, Context? ctx = null) : base(ctx)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), units, $"PReLU: units must be > 0, got {units}");
        if (!float.IsFinite(initialSlope)) throw new ArgumentOutOfRangeException(nameof(initialSlope), initialSlope, $"PReLU: slope must be finite, got {initialSlope}");
        Units = units;
        InitialSlope = initialSlope;
        Slope = new Parameter("slope", new Tensor(units), weightDecay: false);
        Slope.Value.Fill(initialSlope);
    }

    public int Units { get; }
    public float InitialSlope { get; }

    /// <summary>One slope per unit (column).</summary>
    public Parameter Slope { get; }

    public override string Name => $"PReLU({Units})";

    internal override string SpecLine => "prelu init=" + ModelSpec.FloatText(InitialSlope);

    public override IEnumerable<Parameter> Parameters()
    {
        yield return Slope;
    }

    public override void ResetParameters(InitScheme scheme, Rng rng) => Slope.Value.Fill(InitialSlope);

    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckBatch(x, nameof(x), Units);
        var y = Tensor.Ensure(ref _output, x.Rows, Units);
        var c = Context;
        c.Check(Native.hpc_prelu_forward(c.Ptr, x.Rows, Units, x.Data, Slope.Value.Data, y.Data));
        _input = x;
        return y;
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient)
    {
        CheckForwardDone(_input);
        ArgumentNullException.ThrowIfNull(dy);
        var x = _input!;
        if (dy.Length != x.Length)
            throw new ArgumentException($"{Name}: dy has shape {dy.ShapeString()}, the forward input had {x.ShapeString()}", nameof(dy));
        float* dx = null;
        if (computeInputGradient) dx = Tensor.Ensure(ref _dx, x.Rows, Units).Data;
        var c = Context;
        c.Check(Native.hpc_prelu_backward(c.Ptr, x.Rows, Units, x.Data, Slope.Value.Data, dy.Data, dx, Slope.Grad.Data));
        return computeInputGradient ? _dx : null;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _output?.Dispose();
        _dx?.Dispose();
        _input = null;
    }
}
