using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Softmax + cross-entropy over logits [batch, classes] with integer labels, in one fused native
/// pass: the mean loss over the batch and dLoss/dlogits = (softmax - onehot) / batch.
/// </summary>
public sealed unsafe class CrossEntropyLoss(Context? ctx = null)
{
    private Tensor? _grad;
    private bool _hasGrad;

    public Context Context { get; } = ctx ?? Context.Default;

    /// <summary>
    /// Returns the mean loss. With <paramref name="computeGradient"/> (default) the gradient is
    /// computed in the same pass and <see cref="Backward"/> returns it.
    /// </summary>
    public float Forward(Tensor logits, ReadOnlySpan<int> labels, bool computeGradient = true)
    {
        ArgumentNullException.ThrowIfNull(logits);
        int batch = logits.Rows, classes = logits.Cols;
        if (labels.Length != batch)
            throw new ArgumentException($"CrossEntropyLoss: {labels.Length} labels for a batch of {batch} logits rows", nameof(labels));
        float* dl = null;
        if (computeGradient) dl = Tensor.Ensure(ref _grad, batch, classes).Data;
        float loss;
        var c = Context;
        fixed (int* lab = labels)
        {
            c.Check(Native.hpc_softmax_cross_entropy(c.Ptr, batch, classes, logits.Data, classes, lab, &loss, dl));
        }
        _hasGrad = computeGradient;
        return loss;
    }

    /// <summary>dLoss/dlogits of the last <see cref="Forward"/> (owned by the loss, reused).</summary>
    public Tensor Backward()
    {
        if (!_hasGrad) throw new InvalidOperationException("CrossEntropyLoss: Backward needs a Forward with computeGradient = true first");
        return _grad!;
    }
}
