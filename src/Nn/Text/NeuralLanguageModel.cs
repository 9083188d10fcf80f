using System.Globalization;

namespace Hpc.Nn;

/// <summary>
/// The neural n-gram language model of the lecture notes: the context words' indices look up one
/// shared <see cref="Embedding"/> (K x D, a linear layer without bias), the concatenated vectors
/// (contextWords * D) feed a logistic hidden layer of H units, and a linear output layer gives K
/// logits, one per vocabulary word (softmax + cross-entropy in the loss). With K = 250, D = 16,
/// H = 180 and three context words it has K D + (3 D H + H) + (H K + K) = 58,070 parameters.
/// </summary>
/// <remarks>
/// Input: a [batch, contextWords] tensor of word indices as whole-number floats (what
/// <see cref="NgramSplit.ToDataset"/> gives), so it trains with <see cref="Trainer"/> like any
/// classifier. Parameters are named "embedding.weight", "hidden.weight", "hidden.bias",
/// "output.weight", "output.bias"; <see cref="Spec"/> describes the shape in the model-spec style.
/// </remarks>
public sealed class NeuralLanguageModel : Module
{
    private readonly Sequential _net;

    public NeuralLanguageModel(int vocabularySize = 250, int contextWords = 3, int embeddingDim = 16, int hidden = 180,
        Context? ctx = null) : base(ctx)
    {
        if (contextWords <= 0) throw new ArgumentOutOfRangeException(nameof(contextWords), contextWords, "contextWords must be > 0");
        VocabularySize = vocabularySize;
        ContextWords = contextWords;
        EmbeddingDim = embeddingDim;
        HiddenUnits = hidden;
        Embedding = new Embedding(vocabularySize, embeddingDim, Context);
        Hidden = new Linear(contextWords * embeddingDim, hidden, ctx: Context);
        Output = new Linear(hidden, vocabularySize, ctx: Context);
        _net = new Sequential(Context, Embedding, Hidden, new Sigmoid(Context), Output);
        AssignNames("");
        InitializeNormal(0.1, new Rng(0));
    }

    public int VocabularySize { get; }
    public int ContextWords { get; }
    public int EmbeddingDim { get; }
    public int HiddenUnits { get; }

    public Embedding Embedding { get; }

    /// <summary>[H, contextWords * D]: the lecture's W_e (embedding to hidden).</summary>
    public Linear Hidden { get; }

    /// <summary>[K, H]: the lecture's W_h (hidden to output).</summary>
    public Linear Output { get; }

    public override string Name =>
        $"NeuralLanguageModel(K={VocabularySize}, context={ContextWords}, D={EmbeddingDim}, H={HiddenUnits})";

    /// <summary>The architecture in the model-spec line format (with an "embedding K D" layer).</summary>
    public string Spec => string.Create(CultureInfo.InvariantCulture,
        $"input {ContextWords}\nembedding {VocabularySize} {EmbeddingDim}\nlinear {HiddenUnits}\nsigmoid\nlinear {VocabularySize}\n");

    public override Tensor Forward(Tensor x, bool training) => _net.Forward(x, training);

    /// <summary>Writes every parameter gradient; there is no input gradient (indices), so it returns null.</summary>
    public override Tensor? Backward(Tensor dy, bool computeInputGradient) => _net.Backward(dy, computeInputGradient: false);

    public override IEnumerable<Parameter> Parameters() => _net.Parameters();

    public override IEnumerable<Module> Children() => [_net];

    internal override void AssignNames(string prefix)
    {
        Embedding.AssignNames(prefix + "embedding.");
        Hidden.AssignNames(prefix + "hidden.");
        Output.AssignNames(prefix + "output.");
    }

    /// <summary>The recipe of the notes' starter code: every weight N(0, std^2), every bias 0.</summary>
    public void InitializeNormal(double std, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Init.Normal(Embedding.Weight.Value.AsSpan(), std, rng);
        Init.Normal(Hidden.Weight.Value.AsSpan(), std, rng);
        Hidden.Bias!.Value.Fill(0f);
        Init.Normal(Output.Weight.Value.AsSpan(), std, rng);
        Output.Bias!.Value.Fill(0f);
    }

    public override void ResetParameters(InitScheme scheme, Rng rng) => _net.ResetParameters(scheme, rng);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _net.Dispose();
    }
}
