using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Hpc.Bench.Peers.TorchSharp;

/// <summary>
/// The peers' models, layer for layer those of Hpc (src/Nn: Models.Mlp, LeNet.Spec) and of
/// bench/peers/torch_*.py.
/// </summary>
public static class Architectures
{
    /// <summary>784-256-128-10 with ReLU.</summary>
    public static Module<Tensor, Tensor> Mlp() =>
        Sequential(Linear(784, 256), ReLU(), Linear(256, 128), ReLU(), Linear(128, 10));

    /// <summary>LeNet as src/Nn/Models/LeNet.cs: conv 32 5x5 pad 2, ReLU, pool 2, conv 64 5x5 pad 2, ReLU, pool 2, 3136-128-10.</summary>
    public static Module<Tensor, Tensor> LeNet() =>
        Sequential(
            Conv2d(1, 32, 5, padding: 2), ReLU(), MaxPool2d(2),
            Conv2d(32, 64, 5, padding: 2), ReLU(), MaxPool2d(2),
            Flatten(), Linear(3136, 128), ReLU(), Linear(128, 10));
}

/// <summary>
/// The neural 4-gram language model: one embedding table (words x dim) shared by the context
/// positions, their vectors concatenated, a logistic hidden layer, logits over the words (the
/// softmax is in the cross-entropy loss).
/// </summary>
public sealed class NeuralLanguageModel : Module<Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly Linear hidden;
    private readonly Linear output;
    private readonly long contextWidth;

    public NeuralLanguageModel(int words, int dim, int context, int hiddenUnits) : base("nlm")
    {
        embedding = Embedding(words, dim);
        hidden = Linear(context * dim, hiddenUnits);
        output = Linear(hiddenUnits, words);
        contextWidth = context * dim;
        RegisterComponents();
    }

    /// <summary><paramref name="context"/>: [batch, positions] word indices (int64).</summary>
    public override Tensor forward(Tensor context)
    {
        var e = embedding.call(context).view(context.shape[0], contextWidth);
        return output.call(torch.sigmoid(hidden.call(e)));
    }
}

/// <summary>
/// The character language model: embedding, one LSTM layer (batch first), a linear layer back to the
/// vocabulary. The state is passed in and returned so a caller carries it across chunks.
/// </summary>
public sealed class CharLstm : Module<Tensor, (Tensor, Tensor), (Tensor, Tensor, Tensor)>
{
    private readonly Embedding embedding;
    private readonly LSTM lstm;
    private readonly Linear output;

    public CharLstm(int vocab, int dim, int hiddenUnits) : base("char_lstm")
    {
        embedding = Embedding(vocab, dim);
        lstm = LSTM(dim, hiddenUnits, batchFirst: true);
        output = Linear(hiddenUnits, vocab);
        RegisterComponents();
    }

    /// <summary><paramref name="chars"/>: [batch, steps] (int64); returns logits [batch, steps, vocab] and the final state.</summary>
    public override (Tensor, Tensor, Tensor) forward(Tensor chars, (Tensor, Tensor) state)
    {
        var (y, h, c) = lstm.call(embedding.call(chars), state);
        return (output.call(y), h, c);
    }
}
