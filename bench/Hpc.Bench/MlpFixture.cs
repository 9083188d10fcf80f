using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>
/// The MLP of issues 3 and 5's comparisons, built through src/Nn exactly as a user would:
/// 784-256-128-10 with ReLU, fused softmax-cross-entropy, SGD lr 0.05 momentum 0.9, one fixed
/// random batch (bench/peers/torch_mlp.py runs the identical model in PyTorch).
/// </summary>
public sealed class MlpFixture : IDisposable
{
    public static readonly int[] Sizes = [784, 256, 128, 10];

    private readonly Context _ctx;
    private readonly Sequential _model;
    private readonly Sgd _opt;
    private readonly CrossEntropyLoss _loss;
    private readonly Tensor _x;
    private readonly int[] _labels;

    public MlpFixture(Isa isa, int threads, int batch)
    {
        _ctx = new Context(isa, threads);
        _model = Models.Mlp(Sizes, "relu", seed: 1, ctx: _ctx);
        _opt = new Sgd(_model.Parameters(), lr: 0.05f, momentum: 0.9f, ctx: _ctx);
        _loss = new CrossEntropyLoss(_ctx);
        _x = new Tensor(batch, Sizes[0]);
        _labels = Inputs.Fill(_x, batch, Sizes[^1], seed: 7);
    }

    /// <summary>Forward, loss, backward, SGD update; returns the loss so the work cannot be elided.</summary>
    public float Step()
    {
        var logits = _model.Forward(_x, training: true);
        float loss = _loss.Forward(logits, _labels);
        _model.Backward(_loss.Backward(), computeInputGradient: false); // as Trainer does: the input needs no gradient
        _opt.Step();
        return loss;
    }

    /// <summary>Inference on the fixed batch (batch 1 for the latency figures).</summary>
    public Tensor Infer() => _model.Forward(_x, training: false);

    public void Dispose()
    {
        _x.Dispose();
        _model.Dispose();
        _opt.Dispose();
        _ctx.Dispose();
    }
}
