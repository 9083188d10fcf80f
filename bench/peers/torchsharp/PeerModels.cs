using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Hpc.Bench.Peers.TorchSharp;

/// <summary>
/// What is timed for each model (bench/README.md, "TorchSharp"): training steps are zero_grad +
/// forward + loss + backward (+ clipping) + optimizer step on one fixed random batch, inference is
/// batch 1 under no_grad. Every call runs in its own dispose scope, so its temporaries are freed
/// deterministically rather than by the GC.
/// </summary>
public static class PeerModels
{
    public static IEnumerable<PeerBench> Create(string model) => model switch
    {
        "mlp" => [MlpStep(64), MlpStep(128), Inference("mlp", Architectures.Mlp(), [1, 784], 5000)],
        "lenet" => [LeNetStep(64), Inference("lenet", Architectures.LeNet(), [1, 1, 28, 28], 2000)],
        "nlm" => [NlmStep()],
        "char_lstm" => [CharLstmStep()],
        "lstm" => [LstmStep()],
        _ => throw new ArgumentException($"unknown model '{model}'", nameof(model)),
    };

    /// <summary>SGD lr 0.05 momentum 0.9, cross-entropy over 10 classes (as bench/peers/torch_mlp.py).</summary>
    private static PeerBench MlpStep(int batch) =>
        ClassifierStep("mlp", Architectures.Mlp(), [batch, 784], 10, 300);

    private static PeerBench LeNetStep(int batch) =>
        ClassifierStep("lenet", Architectures.LeNet(), [batch, 1, 28, 28], 10, 60);

    private static PeerBench ClassifierStep(string name, Module<Tensor, Tensor> model, long[] inputShape, int classes, int calls)
    {
        var opt = torch.optim.SGD(model.parameters(), 0.05, momentum: 0.9);
        var lossFn = CrossEntropyLoss();
        var x = torch.rand(inputShape);
        var y = torch.randint(classes, [inputShape[0]], dtype: ScalarType.Int64);
        return new PeerBench(name, "train_step", (int)inputShape[0], calls,
            TrainStep(opt, () => lossFn.call(model.call(x), y)), model, lossFn, x, y);
    }

    private static PeerBench Inference(string name, Module<Tensor, Tensor> model, long[] inputShape, int calls)
    {
        model.eval();
        var x = torch.rand(inputShape);
        return new PeerBench(name, "infer_b1", 1, calls, () =>
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            model.call(x);
        }, model, x);
    }

    /// <summary>
    /// The neural 4-gram model: 250 words, embedding 16 shared by 3 context positions, 180 logistic
    /// hidden units, softmax over 250; batch 100, SGD lr 0.1 momentum 0.9.
    /// </summary>
    private static PeerBench NlmStep()
    {
        const int words = 250, batch = 100;
        var model = new NeuralLanguageModel(words, 16, 3, 180);
        var opt = torch.optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        var lossFn = CrossEntropyLoss();
        var context = torch.randint(words, [batch, 3], dtype: ScalarType.Int64);
        var next = torch.randint(words, [batch], dtype: ScalarType.Int64);
        return new PeerBench("nlm", "train_step", batch, 300,
            TrainStep(opt, () => lossFn.call(model.call(context), next)), model, lossFn, context, next);
    }

    /// <summary>
    /// The character model: 80 characters, embedding 64, LSTM 256, linear to 80; 32 streams of 64
    /// characters, Adam lr 2e-3, gradients clipped to global norm 5. The final state of a step is
    /// carried (detached) into the next one, as truncated backpropagation through time does.
    /// </summary>
    private static PeerBench CharLstmStep()
    {
        const int vocab = 80, batch = 32, steps = 64, hidden = 256;
        var model = new CharLstm(vocab, 64, hidden);
        var opt = torch.optim.Adam(model.parameters(), 2e-3);
        var lossFn = CrossEntropyLoss();
        var chars = torch.randint(vocab, [batch, steps], dtype: ScalarType.Int64);
        var next = torch.randint(vocab, [batch * steps], dtype: ScalarType.Int64);
        var state = new CarriedState(torch.zeros(1, batch, hidden), torch.zeros(1, batch, hidden));
        var parameters = model.parameters().ToArray();
        return new PeerBench("char_lstm", "train_step", batch, 30, TrainStep(opt, () =>
        {
            var (logits, h, c) = model.call(chars, (state.H, state.C));
            state.Replace(h, c);
            return lossFn.call(logits.reshape(-1, vocab), next);
        }, parameters, 5.0), model, lossFn, chars, next, state) { Extra = $"\"seq\":{steps},\"hidden\":{hidden},\"vocab\":{vocab}" };
    }

    /// <summary>
    /// One LSTM layer 64 -> 128 over a sequence of 35, batch 32 (sequence first), mean squared error
    /// of the outputs against a fixed random target, SGD lr 0.01; the state starts at zero each step.
    /// </summary>
    private static PeerBench LstmStep()
    {
        const int input = 64, hidden = 128, seq = 35, batch = 32;
        var lstm = LSTM(input, hidden);
        var opt = torch.optim.SGD(lstm.parameters(), 0.01);
        var lossFn = MSELoss();
        var x = torch.rand(seq, batch, input);
        var target = torch.rand(seq, batch, hidden);
        return new PeerBench("lstm", "train_step", batch, 60, TrainStep(opt, () =>
        {
            var (y, _, _) = lstm.call(x, null);
            return lossFn.call(y, target);
        }), lstm, lossFn, x, target) { Extra = $"\"seq\":{seq},\"input\":{input},\"hidden\":{hidden}" };
    }

    private static Action TrainStep(optim.Optimizer opt, Func<Tensor> loss, Parameter[]? clip = null, double maxNorm = 0) => () =>
    {
        using var scope = torch.NewDisposeScope();
        opt.zero_grad();
        loss().backward();
        if (clip is not null) torch.nn.utils.clip_grad_norm_(clip, maxNorm);
        opt.step();
    };

    /// <summary>An LSTM state kept across steps, outside any step's dispose scope.</summary>
    private sealed class CarriedState(Tensor h, Tensor c) : IDisposable
    {
        public Tensor H { get; private set; } = h;
        public Tensor C { get; private set; } = c;

        public void Replace(Tensor h, Tensor c)
        {
            var nh = h.detach().DetachFromDisposeScope();
            var nc = c.detach().DetachFromDisposeScope();
            H.Dispose();
            C.Dispose();
            (H, C) = (nh, nc);
        }

        public void Dispose()
        {
            H.Dispose();
            C.Dispose();
        }
    }
}
