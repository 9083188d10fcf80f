namespace Hpc.Nn;

/// <summary>A training step produced a NaN or infinite loss; the run stops instead of silently diverging.</summary>
public sealed class NonFiniteLossException(int epoch, int batch, long step, float loss)
    : ArithmeticException($"training loss became {loss} at step {step} (epoch {epoch}, batch {batch}); " +
                          "lower the learning rate or check the input data")
{
    public int Epoch { get; } = epoch;
    public int Batch { get; } = batch;
    public long Step { get; } = step;
    public float Loss { get; } = loss;
}
