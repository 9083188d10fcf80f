namespace Hpc.Nn;

/// <summary>
/// A training step met a NaN or infinite value in its input batch, a layer's weights or a layer's
/// gradients (checked when <see cref="TrainerOptions.CheckFiniteValues"/> is on); the run stops at
/// that step instead of carrying the value into every weight.
/// </summary>
public sealed class NonFiniteValueException(long step, int epoch, int batch, string layer, string tensor)
    : ArithmeticException($"non-finite value in {tensor} of {layer} at step {step} (epoch {epoch}, batch {batch}); " +
                          "lower the learning rate or check the input data")
{
    public long Step { get; } = step;
    public int Epoch { get; } = epoch;
    public int Batch { get; } = batch;

    /// <summary>The layer, e.g. "layer 2 (Linear)", or "input" for the batch itself.</summary>
    public string Layer { get; } = layer;

    /// <summary>The tensor, e.g. "gradient 2.weight", "weight 2.bias" or "batch".</summary>
    public string Tensor { get; } = tensor;
}
