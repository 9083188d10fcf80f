namespace Hpc.Nn;

/// <summary>
/// [N, d1, d2, ...] -> [N, d1*d2*...]: the bridge from convolutional features to <see cref="Linear"/>.
/// Values are copied (a tensor owns its memory; re-shaping the previous layer's buffer in place would
/// defeat its reuse), which costs one memcpy of the activations per pass.
/// </summary>
public sealed class Flatten(Context? ctx = null) : Module(ctx)
{
    private Tensor? _output;
    private Tensor? _dx;
    private int[]? _inputShape;

    internal override string SpecLine => "flatten";

    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Tensor.Ensure(ref _output, x.Rows, x.Cols);
        x.AsSpan().CopyTo(y.AsSpan());
        if (_inputShape is null || !x.Shape.SequenceEqual(_inputShape)) _inputShape = x.ShapeArray();
        return y;
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient)
    {
        CheckForwardDone(_inputShape);
        ArgumentNullException.ThrowIfNull(dy);
        if (dy.Length != _output!.Length)
            throw new ArgumentException($"{Name}: dy has shape {dy.ShapeString()}, the forward output was {_output.ShapeString()}", nameof(dy));
        if (!computeInputGradient) return null;
        // The gradient takes the input's shape back, so a spatial layer below sees N x C x H x W.
        if (_dx is null || !_dx.Shape.SequenceEqual(_inputShape!))
        {
            _dx?.Dispose();
            _dx = new Tensor(_inputShape!);
        }
        dy.AsSpan().CopyTo(_dx.AsSpan());
        return _dx;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _output?.Dispose();
        _dx?.Dispose();
    }
}
