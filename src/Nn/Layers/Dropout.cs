using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Inverted dropout (seed 002 Algorithm 2): at training each unit is kept with probability
/// rho = 1 - rate and the kept ones are scaled by 1 / rho, so inference is the identity and needs
/// no rescaling. Backward multiplies by the same mask. The mask comes from the native counter-based
/// generator (Philox keyed by the seed): mask element i of the k-th training forward is a pure
/// function of (seed, offset), so runs repeat exactly on every ISA path and thread count.
/// </summary>
public sealed unsafe class Dropout : Module
{
    private ulong _offset;
    private Tensor? _mask;
    private Tensor? _output;
    private Tensor? _dx;
    private bool _maskValid;

    /// <param name="rate">Probability of dropping a unit, in [0, 1).</param>
    /// <param name="seed">Seeds the masks: the same seed gives the same sequence of masks.</param>
    /// <param name="ctx">Native context (null = <see cref="Context.Default"/>).</param>
    public Dropout(float rate, ulong seed = 0, Context? ctx = null) : base(ctx)
    {
        if (!float.IsFinite(rate) || rate < 0f || rate >= 1f)
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"dropout rate must be in [0, 1), got {rate}");
        Rate = rate;
        Seed = seed;
    }

    /// <summary>Keys the mask stream.</summary>
    public ulong Seed { get; }

    /// <summary>Probability of dropping a unit.</summary>
    public float Rate { get; }

    /// <summary>The seed's rho: probability of keeping a unit.</summary>
    public float KeepProbability => 1f - Rate;

    public override string Name => $"Dropout({Rate})";

    internal override string SpecLine => $"dropout {ModelSpec.FloatText(Rate)} seed={Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Values drawn from the mask stream so far: where the next training mask starts (a checkpoint saves it).</summary>
    internal ulong StreamOffset
    {
        get => _offset;
        set => _offset = value;
    }

    /// <summary>The scaled mask of the last training forward (0 or 1/rho per element).</summary>
    public Tensor? Mask => _maskValid ? _mask : null;

    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!training || Rate == 0f)
        {
            _maskValid = false;
            return x;
        }
        var mask = Tensor.Ensure(ref _mask, x.Rows, x.Cols);
        var y = Tensor.Ensure(ref _output, x.Rows, x.Cols);
        var c = Context;
        c.Check(Native.hpc_dropout_forward(c.Ptr, Seed, _offset, x.Length, KeepProbability, x.Data, mask.Data, y.Data));
        // The next mask continues the stream instead of repeating this one.
        _offset += (ulong)x.Length;
        _maskValid = true;
        return y;
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient)
    {
        ArgumentNullException.ThrowIfNull(dy);
        if (!computeInputGradient) return null;
        if (!_maskValid) return dy;
        var mask = _mask!;
        CheckGradientMatchesOutput(dy, mask);
        var dx = Tensor.Ensure(ref _dx, mask.Rows, mask.Cols);
        var c = Context;
        c.Check(Native.hpc_dropout_backward(c.Ptr, mask.Length, mask.Data, dy.Data, dx.Data));
        return dx;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _mask?.Dispose();
        _output?.Dispose();
        _dx?.Dispose();
    }
}
