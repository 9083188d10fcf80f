using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Character language model: Embedding(vocab, embed) -> Lstm(embed, hidden, layers) ->
/// Linear(hidden, vocab), trained on the next character at every position. Sequences are
/// time-major: position t of stream b is row t * streams + b.
/// </summary>
public sealed unsafe class CharLstm : IDisposable
{
    private int[] _probeIndex = new int[1];
    private float[] _probs = [];

    public CharLstm(int vocabulary, int embed = 64, int hidden = 256, int layers = 1, ulong seed = 42, Context? ctx = null)
    {
        Context = ctx ?? Context.Default;
        Vocabulary = vocabulary;
        Embedding = new Embedding(vocabulary, embed, Context);
        Lstm = new Lstm(embed, hidden, layers, ctx: Context);
        Output = new Linear(hidden, vocabulary, ctx: Context);
        var rng = new Rng(seed);
        Embedding.ResetParameters(InitScheme.PyTorchDefault, rng);
        Lstm.ResetParameters(InitScheme.PyTorchDefault, rng);
        Output.ResetParameters(InitScheme.PyTorchDefault, rng);
        Embedding.AssignNames("embed.");
        Lstm.AssignNames("lstm.");
        Output.AssignNames("out.");
    }

    public Context Context { get; }
    public int Vocabulary { get; }
    public Embedding Embedding { get; }
    public Lstm Lstm { get; }
    public Linear Output { get; }

    public IEnumerable<Parameter> Parameters() => Embedding.Parameters().Concat(Lstm.Parameters()).Concat(Output.Parameters());

    public long ParameterCount() => Parameters().Sum(p => p.Value.Length);

    /// <summary>Logits [steps * streams, vocab] for the indices (time-major), carrying <paramref name="state"/>.</summary>
    public Tensor Forward(ReadOnlySpan<int> indices, int steps, int streams, RecurrentState state, bool training)
    {
        if (indices.Length != steps * streams)
            throw new ArgumentException($"{indices.Length} indices for {steps} steps x {streams} streams", nameof(indices));
        var e = Embedding.Forward(indices, 1);
        e.TryReshape([steps, streams, Embedding.Dim]);
        var y = Lstm.Forward(e, state, training);
        y.TryReshape([steps * streams, Lstm.HiddenSize]);
        return Output.Forward(y, training);
    }

    /// <summary>Backward of the last forward from dLoss/dlogits: every parameter gradient.</summary>
    public void Backward(Tensor dlogits)
    {
        var dy = Output.Backward(dlogits);
        var de = Lstm.Backward(dy, computeInputGradient: true)!;
        Embedding.Backward(de, computeInputGradient: false);
    }

    /// <summary>
    /// Samples <paramref name="length"/> characters after <paramref name="prime"/> (indices), each
    /// drawn from softmax(logits / temperature); the prime runs through the model first.
    /// </summary>
    public int[] Generate(ReadOnlySpan<int> prime, int length, float temperature, Rng rng)
    {
        if (prime.Length == 0) throw new ArgumentException("the prime text is empty", nameof(prime));
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be >= 0");
        if (!(temperature > 0) || !float.IsFinite(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be finite and > 0");
        using var state = Lstm.CreateState(1);
        var logits = Forward(prime, prime.Length, 1, state, training: false);
        var result = new int[length];
        if (_probs.Length < Vocabulary) _probs = new float[Vocabulary];
        int last = prime.Length - 1;
        for (int i = 0; i < length; i++)
        {
            var row = logits.Row(last);
            float max = float.NegativeInfinity;
            for (int v = 0; v < Vocabulary; v++) max = Math.Max(max, row[v]);
            double sum = 0;
            for (int v = 0; v < Vocabulary; v++) sum += _probs[v] = MathF.Exp((row[v] - max) / temperature);
            double u = rng.NextDouble() * sum, acc = 0;
            int pick = Vocabulary - 1;
            for (int v = 0; v < Vocabulary; v++)
            {
                acc += _probs[v];
                if (u < acc) { pick = v; break; }
            }
            result[i] = pick;
            _probeIndex[0] = pick;
            logits = Forward(_probeIndex, 1, 1, state, training: false);
            last = 0;
        }
        return result;
    }

    public void Dispose()
    {
        Embedding.Dispose();
        Lstm.Dispose();
        Output.Dispose();
    }
}
