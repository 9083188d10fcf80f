namespace Hpc.Nn;

/// <summary>
/// One binary feature per vocabulary word: "the document contains w". Built from the words of the
/// highest document frequency in a training set (ties alphabetical, ordinal).
/// </summary>
public sealed class TokenPresenceFeatures : IFeaturizer<IReadOnlyList<string>>
{
    public TokenPresenceFeatures(Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Vocabulary = vocabulary;
    }

    public Vocabulary Vocabulary { get; }

    public int Count => Vocabulary.Count;

    public string Name(int feature) => Vocabulary.Words[feature];

    /// <summary>The <paramref name="maxFeatures"/> words found in the most documents.</summary>
    public static TokenPresenceFeatures FromDocumentFrequency(IEnumerable<IReadOnlyList<string>> documents, int maxFeatures)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var df = new Dictionary<string, long>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var doc in documents)
        {
            seen.Clear();
            foreach (var t in doc)
                if (seen.Add(t)) df[t] = df.GetValueOrDefault(t) + 1;
        }
        return new TokenPresenceFeatures(Vocabulary.FromCounts(df, maxFeatures));
    }

    public void Extract(IReadOnlyList<string> datum, List<int> active)
    {
        ArgumentNullException.ThrowIfNull(datum);
        int start = active.Count;
        foreach (var t in datum)
        {
            int i = Vocabulary.IndexOf(t);
            if (i >= 0) active.Add(i);
        }
        // Distinct and increasing: sort the appended range, drop repeats.
        active.Sort(start, active.Count - start, Comparer<int>.Default);
        int w = start;
        for (int r = start; r < active.Count; r++)
            if (r == start || active[r] != active[w - 1]) active[w++] = active[r];
        active.RemoveRange(w, active.Count - w);
    }
}
