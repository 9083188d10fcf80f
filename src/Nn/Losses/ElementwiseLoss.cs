using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// A loss over prediction/target tensors of equal size computed by one native pass that returns
/// the loss and its gradient together. Subclasses name their kernel.
/// </summary>
public abstract unsafe class ElementwiseLoss
{
    private Tensor? _grad;
    private bool _hasGrad;

    private protected ElementwiseLoss(Context? ctx) => Context = ctx ?? Context.Default;

    public Context Context { get; }

    public virtual string Name => GetType().Name;

    private protected abstract hpc_status Compute(hpc_ctx* ctx, long n, float* prediction, float* target, float* loss, float* grad);

    /// <summary>The loss of <paramref name="prediction"/> against <paramref name="target"/>; with
    /// <paramref name="computeGradient"/> the gradient for <see cref="Backward"/> in the same pass.</summary>
    public float Forward(Tensor prediction, Tensor target, bool computeGradient = true)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Length != target.Length)
            throw new ArgumentException($"{Name}: prediction {prediction.ShapeString()} and target {target.ShapeString()} differ in size", nameof(target));
        float* g = null;
        if (computeGradient) g = Tensor.Ensure(ref _grad, prediction.Rows, prediction.Cols).Data;
        float loss;
        var c = Context;
        c.Check(Compute(c.Ptr, prediction.Length, prediction.Data, target.Data, &loss, g));
        _hasGrad = computeGradient;
        return loss;
    }

    /// <summary>dLoss/dprediction of the last <see cref="Forward"/> (owned by the loss, reused).</summary>
    public Tensor Backward()
    {
        if (!_hasGrad) throw new InvalidOperationException($"{Name}: Backward needs a Forward with computeGradient = true first");
        return _grad!;
    }
}
