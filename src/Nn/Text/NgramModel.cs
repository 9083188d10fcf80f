namespace Hpc.Nn;

/// <summary>
/// A word n-gram model of any order over a closed vocabulary, smoothed by interpolated absolute
/// discounting: P(w | h) = max(c(h w) - d, 0) / c(h) + d N(h) / c(h) P(w | h'), where h' drops the
/// oldest word of h and N(h) is the number of distinct words seen after h; the unigram level
/// interpolates with the uniform 1 / K the same way. A context never seen in training
/// (c(h) = 0) falls back to the lower order entirely. Every level sums to 1 over the vocabulary, so
/// the model is a proper distribution for any context.
/// </summary>
public sealed class NgramModel
{
    // Per level k = 1..Order: counts of k-grams, and per (k-1)-word context its total and distinct followers.
    private readonly Dictionary<long, long>[] _grams;
    private readonly Dictionary<long, (long Total, long Types)>[] _contexts;

    public NgramModel(int order, int vocabularySize, double discount = 0.75)
    {
        if (order < 1) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be >= 1");
        if (vocabularySize < 1) throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize, "vocabulary size must be >= 1");
        if (!(discount > 0 && discount < 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "discount must be in (0, 1)");
        // k-grams are packed in base K into a long.
        if (order * Math.Log2(vocabularySize + 1.0) > 62)
            throw new ArgumentOutOfRangeException(nameof(order), order, $"order {order} over {vocabularySize} words does not pack into 62 bits");
        Order = order;
        VocabularySize = vocabularySize;
        Discount = discount;
        _grams = new Dictionary<long, long>[order + 1];
        _contexts = new Dictionary<long, (long, long)>[order + 1];
        for (int k = 1; k <= order; k++)
        {
            _grams[k] = new Dictionary<long, long>();
            _contexts[k] = new Dictionary<long, (long, long)>();
        }
    }

    public int Order { get; }
    public int VocabularySize { get; }
    public double Discount { get; }

    /// <summary>Counts the last k words of every example window, for each k = 1..Order.</summary>
    public static NgramModel Train(NgramSplit data, int order, int vocabularySize, double discount = 0.75)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (order > data.Order) throw new ArgumentOutOfRangeException(nameof(order), order, $"the data's windows hold {data.Order} words");
        var model = new NgramModel(order, vocabularySize, discount);
        for (int i = 0; i < data.Count; i++) model.Add(data.Windows.AsSpan(i * data.Order, data.Order));
        return model;
    }

    /// <summary>Adds one observation: the last word of <paramref name="window"/> after the ones before it.</summary>
    public void Add(ReadOnlySpan<int> window)
    {
        if (window.Length < Order) throw new ArgumentException($"a window of {window.Length} words for an order-{Order} model", nameof(window));
        foreach (int w in window)
            if ((uint)w >= (uint)VocabularySize) throw new ArgumentOutOfRangeException(nameof(window), w, $"word index outside [0, {VocabularySize})");
        for (int k = 1; k <= Order; k++)
        {
            var gram = window[^k..];
            long key = Pack(gram), ctx = Pack(gram[..^1]);
            long c = _grams[k].GetValueOrDefault(key);
            _grams[k][key] = c + 1;
            var (total, types) = _contexts[k].GetValueOrDefault(ctx);
            _contexts[k][ctx] = (total + 1, types + (c == 0 ? 1 : 0));
        }
    }

    /// <summary>P(word | the last Order - 1 words of context); a shorter context uses the orders it allows.</summary>
    public double Probability(ReadOnlySpan<int> context, int word)
    {
        if ((uint)word >= (uint)VocabularySize) throw new ArgumentOutOfRangeException(nameof(word), word, $"word index outside [0, {VocabularySize})");
        int k = Math.Min(Order, context.Length + 1);
        return Level(context[(context.Length - (k - 1))..], word, k);
    }

    /// <summary>Writes P(w | context) for every word w into <paramref name="probabilities"/> (length K).</summary>
    public void Distribution(ReadOnlySpan<int> context, Span<double> probabilities)
    {
        if (probabilities.Length != VocabularySize)
            throw new ArgumentException($"{probabilities.Length} slots for {VocabularySize} words", nameof(probabilities));
        for (int w = 0; w < VocabularySize; w++) probabilities[w] = Probability(context, w);
    }

    /// <summary>exp of the mean negative log-probability of every example's target given its context.</summary>
    public double Perplexity(NgramSplit data)
    {
        ArgumentNullException.ThrowIfNull(data);
        double nll = 0;
        for (int i = 0; i < data.Count; i++) nll -= Math.Log(Probability(data.Context(i), data.Target(i)));
        return Math.Exp(nll / data.Count);
    }

    private double Level(ReadOnlySpan<int> context, int word, int k)
    {
        // context holds exactly k - 1 words.
        double lower = k == 1 ? 1.0 / VocabularySize : Level(context[1..], word, k - 1);
        long ctxKey = Pack(context);
        if (!_contexts[k].TryGetValue(ctxKey, out var ctx) || ctx.Total == 0) return lower;
        Span<int> gram = stackalloc int[k];
        context.CopyTo(gram);
        gram[k - 1] = word;
        long c = _grams[k].GetValueOrDefault(Pack(gram));
        return (Math.Max(c - Discount, 0) + Discount * ctx.Types * lower) / ctx.Total;
    }

    private long Pack(ReadOnlySpan<int> words)
    {
        // A leading 1 keeps "a b" and "b" apart when a is word 0.
        long key = 1;
        foreach (int w in words) key = key * (VocabularySize + 1) + w;
        return key;
    }
}
