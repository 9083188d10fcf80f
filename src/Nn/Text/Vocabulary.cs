namespace Hpc.Nn;

/// <summary>
/// The words a text model knows, each with an index: the most frequent words of a training corpus,
/// most frequent first, ties broken alphabetically (ordinal), so the same corpus always gives the
/// same indices.
/// </summary>
public sealed class Vocabulary
{
    public const string UnknownToken = "<unk>";

    private readonly Dictionary<string, int> _index;

    /// <summary>A vocabulary of exactly <paramref name="words"/> in that order (as stored in a checkpoint).</summary>
    public Vocabulary(IReadOnlyList<string> words, UnknownWordPolicy policy = UnknownWordPolicy.Skip)
    {
        ArgumentNullException.ThrowIfNull(words);
        var list = new List<string>(words.Count + 1);
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in words)
        {
            if (string.IsNullOrEmpty(w)) throw new ArgumentException("a vocabulary word is empty", nameof(words));
            if (w == UnknownToken) continue;
            if (!_index.TryAdd(w, list.Count)) throw new ArgumentException($"the vocabulary holds '{w}' twice", nameof(words));
            list.Add(w);
        }
        if (policy == UnknownWordPolicy.MapToUnknown)
        {
            _index[UnknownToken] = list.Count;
            list.Add(UnknownToken);
        }
        Words = list;
        Policy = policy;
    }

    /// <summary>
    /// The <paramref name="maxSize"/> most frequent of <paramref name="counts"/> whose count is at least
    /// <paramref name="minCount"/> (frequency cut-off), most frequent first, ties alphabetical. With
    /// <see cref="UnknownWordPolicy.MapToUnknown"/> "&lt;unk&gt;" is added as index maxSize.
    /// </summary>
    public static Vocabulary FromCounts(IReadOnlyDictionary<string, long> counts, int maxSize, long minCount = 1,
        UnknownWordPolicy policy = UnknownWordPolicy.Skip)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (maxSize <= 0) throw new ArgumentOutOfRangeException(nameof(maxSize), maxSize, "vocabulary size must be > 0");
        var words = counts.Where(kv => kv.Value >= minCount && kv.Key != UnknownToken)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(maxSize).Select(kv => kv.Key).ToList();
        return new Vocabulary(words, policy);
    }

    /// <summary>Index order: <c>Words[i]</c> is the word of index i.</summary>
    public IReadOnlyList<string> Words { get; }

    public UnknownWordPolicy Policy { get; }

    /// <summary>Number of indices (including "&lt;unk&gt;" when mapped).</summary>
    public int Count => Words.Count;

    /// <summary>The index of <paramref name="word"/>; an unknown word gives "&lt;unk&gt;"'s index, or -1 under Skip.</summary>
    public int IndexOf(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (_index.TryGetValue(word, out int i)) return i;
        return Policy == UnknownWordPolicy.MapToUnknown ? Count - 1 : -1;
    }

    public bool Contains(string word) => _index.ContainsKey(word);

    /// <summary>Word counts of <paramref name="tokens"/>.</summary>
    public static Dictionary<string, long> CountWords(IEnumerable<string> tokens)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var t in tokens) counts[t] = counts.GetValueOrDefault(t) + 1;
        return counts;
    }
}
