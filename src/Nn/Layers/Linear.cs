using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Fully connected layer y = x W^T + b with W stored [out, in] as in PyTorch. Inputs of any rank
/// are read as [batch, in] (e.g. [N, 1, 28, 28] images as N rows of 784).
/// </summary>
public sealed unsafe class Linear : Module
{
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _dx;

    public Linear(int inFeatures, int outFeatures, bool bias = true, Context? ctx = null) : base(ctx)
    {
        if (inFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "Linear: inFeatures must be > 0");
        if (outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "Linear: outFeatures must be > 0");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter("weight", new Tensor(outFeatures, inFeatures));
        if (bias) Bias = new Parameter("bias", new Tensor(outFeatures), weightDecay: false);
        ResetParameters(InitScheme.PyTorchDefault, new Rng(0));
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }

    /// <summary>[out, in].</summary>
    public Parameter Weight { get; }

    /// <summary>[out], or null when built without bias.</summary>
    public Parameter? Bias { get; }

    public override string Name => $"Linear({InFeatures}, {OutFeatures})";

    internal override string SpecLine => $"linear {OutFeatures.ToString(System.Globalization.CultureInfo.InvariantCulture)}{(Bias is null ? " bias=false" : "")}";

    public override IEnumerable<Parameter> Parameters()
    {
        yield return Weight;
        if (Bias is not null) yield return Bias;
    }

    public override void ResetParameters(InitScheme scheme, Rng rng)
    {
        Init.Initialize(Weight.Value, InFeatures, OutFeatures, scheme, rng);
        if (Bias is not null) Init.InitializeBias(Bias.Value, InFeatures, scheme, rng);
    }

    public override Tensor Forward(Tensor x, bool training)
    {
        CheckBatch(x, nameof(x), InFeatures);
        int batch = x.Rows;
        var y = Tensor.Ensure(ref _output, batch, OutFeatures);
        var ctx = Context;
        // One fused pass: the bias is added while the GEMM's output tile is still in registers.
        float* bias = Bias is null ? null : Bias.Value.Data;
        ctx.Check(Native.hpc_sgemm_bias_act(ctx.Ptr, hpc_transpose.HPC_NO_TRANS, hpc_transpose.HPC_TRANS,
            batch, OutFeatures, InFeatures, 1f, x.Data, InFeatures, Weight.Value.Data, InFeatures, 0f, y.Data, OutFeatures,
            bias, Bias is null ? hpc_bias_mode.HPC_BIAS_NONE : hpc_bias_mode.HPC_BIAS_COL, hpc_activation.HPC_ACT_IDENTITY));
        _input = x;
        return y;
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient)
    {
        CheckForwardDone(_input);
        var x = _input!;
        int batch = x.Rows;
        if (dy.Rows != batch) throw new ArgumentException($"{Name}: dy has {dy.Rows} rows, the forward batch had {batch}", nameof(dy));
        CheckBatch(dy, nameof(dy), OutFeatures);
        var ctx = Context;
        // dW [out, in] = dY^T [out, batch] * X [batch, in]
        ctx.Check(Native.hpc_sgemm(ctx.Ptr, hpc_transpose.HPC_TRANS, hpc_transpose.HPC_NO_TRANS,
            OutFeatures, InFeatures, batch, 1f, dy.Data, OutFeatures, x.Data, InFeatures, 0f, Weight.Grad.Data, InFeatures));
        if (Bias is not null)
            ctx.Check(Native.hpc_sum_rows(ctx.Ptr, batch, OutFeatures, dy.Data, OutFeatures, 0f, Bias.Grad.Data));
        if (!computeInputGradient) return null;
        // dX [batch, in] = dY [batch, out] * W [out, in]
        var dx = Tensor.Ensure(ref _dx, batch, InFeatures);
        ctx.Check(Native.hpc_sgemm(ctx.Ptr, hpc_transpose.HPC_NO_TRANS, hpc_transpose.HPC_NO_TRANS,
            batch, InFeatures, OutFeatures, 1f, dy.Data, OutFeatures, Weight.Value.Data, InFeatures, 0f, dx.Data, InFeatures));
        return dx;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _output?.Dispose();
        _dx?.Dispose();
        _input = null;
    }
}
