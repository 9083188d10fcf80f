using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>Mean squared error over all elements: sum (pred - target)^2 / n; gradient 2 (pred - target) / n.</summary>
public sealed unsafe class MseLoss(Context? ctx = null)
{
    private Tensor? _grad;
    private bool _hasGrad;

    public Context Context { get; } = ctx ?? Context.Default;

    public float Forward(Tensor prediction, Tensor target, bool computeGradient = true)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Length != target.Length)
            throw new ArgumentException($"MseLoss: prediction {prediction.ShapeString()} and target {target.ShapeString()} differ in size", nameof(target));
        float* g = null;
        if (computeGradient) g = Tensor.Ensure(ref _grad, prediction.Rows, prediction.Cols).Data;
        float loss;
        var c = Context;
        c.Check(Native.hpc_mse_loss(c.Ptr, prediction.Length, prediction.Data, target.Data, &loss, g));
        _hasGrad = computeGradient;
        return loss;
    }

    /// <summary>dLoss/dprediction of the last <see cref="Forward"/> (owned by the loss, reused).</summary>
    public Tensor Backward()
    {
        if (!_hasGrad) throw new InvalidOperationException("MseLoss: Backward needs a Forward with computeGradient = true first");
        return _grad!;
    }
}
