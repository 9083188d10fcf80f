using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>Stateless operations over tensors (no gradients).</summary>
public static unsafe class Functional
{
    /// <summary>Row-wise softmax of x [rows, cols] into y (same shape; y may be x), e.g. class probabilities from logits.</summary>
    public static void Softmax(Tensor x, Tensor y, Context? ctx = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (y.Length != x.Length)
            throw new ArgumentException($"softmax: output {y.ShapeString()} differs in size from input {x.ShapeString()}", nameof(y));
        var c = ctx ?? Context.Default;
        c.Check(Native.hpc_softmax_forward(c.Ptr, x.Rows, x.Cols, x.Data, y.Data));
    }
}
