using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Adam for a <see cref="SparseLinear"/> with PyTorch's SparseAdam semantics: each step updates the
/// moments and weights of the rows the batch touched only (the others keep their moments as they
/// are, not decayed), with bias correction by the global step count; the bias is a dense Adam step.
/// </summary>
public sealed unsafe class SparseAdam : IDisposable
{
    private readonly SparseLinear _layer;
    private readonly Tensor _m, _v, _mb, _vb;

    public SparseAdam(SparseLinear layer, float lr = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _layer = layer;
        LearningRate = lr;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        _m = new Tensor(layer.Weight.Value.ShapeArray());
        _v = new Tensor(layer.Weight.Value.ShapeArray());
        _mb = new Tensor(layer.OutFeatures);
        _vb = new Tensor(layer.OutFeatures);
    }

    public float LearningRate { get; set; }
    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }

    /// <summary>Coupled L2 on the touched rows (as Adam's weight_decay), never on the bias.</summary>
    public float WeightDecay { get; }

    public long StepCount { get; private set; }

    public void Step()
    {
        StepCount++;
        var ctx = _layer.Context;
        fixed (int* rows = _layer.RowsArray)
        fixed (float* g = _layer.RowGradientsArray)
            ctx.Check(Native.hpc_adam_rows_update(ctx.Ptr, _layer.InFeatures, _layer.OutFeatures, _layer.TouchedCount, rows,
                LearningRate, Beta1, Beta2, Eps, WeightDecay, StepCount, _layer.Weight.Value.Data, g, _m.Data, _v.Data));
        if (_layer.Bias is { } b)
            ctx.Check(Native.hpc_adam_update(ctx.Ptr, b.Value.Length, LearningRate, Beta1, Beta2, Eps, 0f, 0f, StepCount,
                b.Value.Data, b.Grad.Data, _mb.Data, _vb.Data));
    }

    public void Dispose()
    {
        _m.Dispose();
        _v.Dispose();
        _mb.Dispose();
        _vb.Dispose();
    }
}
