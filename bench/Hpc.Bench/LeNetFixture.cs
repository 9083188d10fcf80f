using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>
/// LeNet of issue 5 through src/Nn: conv 1->32 5x5 pad 2 + ReLU, maxpool 2, conv 32->64 5x5 pad 2
/// + ReLU, maxpool 2, Linear 3136->128, ReLU, Linear 128->10; fused softmax-cross-entropy, SGD lr
/// 0.05 momentum 0.9, one fixed random batch of 1x28x28 images (bench/peers/torch_lenet.py runs
/// the identical model). The ReLUs after the convolutions are fused into them (Conv2d's
/// activation), and the backward pass skips the input gradient, as Trainer does.
/// </summary>
public sealed class LeNetFixture : IDisposable
{
    private readonly Context _ctx;
    private readonly Sequential _model;
    private readonly Sgd _opt;
    private readonly CrossEntropyLoss _loss;
    private readonly Tensor _x;
    private readonly int[] _labels;

    public LeNetFixture(Isa isa, int threads, int batch)
    {
        _ctx = new Context(isa, threads);
        _model = Build(_ctx);
        _opt = new Sgd(_model.Parameters(), lr: 0.05f, momentum: 0.9f, ctx: _ctx);
        _loss = new CrossEntropyLoss(_ctx);
        _x = new Tensor(batch, 1, 28, 28);
        _labels = Inputs.Fill(_x, batch, 10, seed: 7);
    }

    public static Sequential Build(Context ctx)
    {
        var net = new Sequential(
            new Conv2d(1, 32, 5, padding: 2, activation: ActivationKind.ReLU, ctx: ctx) { NeedsInputGradient = false },
            new MaxPool2d(2, ctx: ctx),
            new Conv2d(32, 64, 5, padding: 2, activation: ActivationKind.ReLU, ctx: ctx),
            new MaxPool2d(2, ctx: ctx),
            new Flatten(ctx),
            new Linear(3136, 128, ctx: ctx),
            new ReLU(ctx),
            new Linear(128, 10, ctx: ctx));
        net.ResetParameters(InitScheme.PyTorchDefault, new Rng(1));
        return net;
    }

    public float Step()
    {
        var logits = _model.Forward(_x, training: true);
        float loss = _loss.Forward(logits, _labels);
        _model.Backward(_loss.Backward(), computeInputGradient: false);
        _opt.Step();
        return loss;
    }

    public Tensor Infer() => _model.Forward(_x, training: false);

    public void Dispose()
    {
        _x.Dispose();
        _model.Dispose();
        _opt.Dispose();
        _ctx.Dispose();
    }
}
