using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// SGD with momentum for a <see cref="SparseLinear"/>, lazily: a step moves only the rows the batch
/// touched (their velocity included; untouched rows' velocities do not decay), as PyTorch's SGD
/// does with sparse gradients; the bias takes a dense step.
/// </summary>
public sealed unsafe class LazySgd : IDisposable
{
    private readonly SparseLinear _layer;
    private readonly Tensor? _velocity, _biasVelocity;

    public LazySgd(SparseLinear layer, float lr, float momentum = 0f, float weightDecay = 0f)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _layer = layer;
        LearningRate = lr;
        Momentum = Hyper.UnitInterval(momentum, nameof(momentum));
        WeightDecay = weightDecay;
        if (momentum != 0f)
        {
            _velocity = new Tensor(layer.Weight.Value.ShapeArray());
            _biasVelocity = new Tensor(layer.OutFeatures);
        }
    }

    public float LearningRate { get; set; }
    public float Momentum { get; }
    public float WeightDecay { get; }

    public void Step()
    {
        var ctx = _layer.Context;
        fixed (int* rows = _layer.RowsArray)
        fixed (float* g = _layer.RowGradientsArray)
            ctx.Check(Native.hpc_sgd_rows_update(ctx.Ptr, _layer.InFeatures, _layer.OutFeatures, _layer.TouchedCount, rows,
                LearningRate, Momentum, WeightDecay, _layer.Weight.Value.Data, g, _velocity is null ? null : _velocity.Data));
        if (_layer.Bias is { } b)
            ctx.Check(Native.hpc_sgd_update(ctx.Ptr, b.Value.Length, LearningRate, Momentum, 0f, 0f, b.Value.Data, b.Grad.Data,
                _biasVelocity is null ? null : _biasVelocity.Data));
    }

    public void Dispose()
    {
        _velocity?.Dispose();
        _biasVelocity?.Dispose();
    }
}
