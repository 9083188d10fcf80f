namespace Hpc.Nn;

/// <summary>
/// Word n-grams of a folder of documents, defined so results compare with other tools:
/// files sorted by name, file i (0-based) is validation when i % 10 == 8, test when i % 10 == 9,
/// training otherwise; tokens by <see cref="Tokenizer"/>; the vocabulary is the most frequent
/// training tokens (ties alphabetical); an example is every window of <c>order</c> consecutive
/// tokens within one file that are all in the vocabulary (the last one is the target).
/// </summary>
public sealed class NgramDataset
{
    private NgramDataset(Vocabulary vocabulary, NgramSplit train, NgramSplit validation, NgramSplit test)
    {
        Vocabulary = vocabulary;
        Train = train;
        Validation = validation;
        Test = test;
    }

    public Vocabulary Vocabulary { get; }
    public NgramSplit Train { get; }
    public NgramSplit Validation { get; }
    public NgramSplit Test { get; }
    public int Order => Train.Order;

    /// <summary>The split of file <paramref name="index"/>: 0 training, 1 validation, 2 test.</summary>
    public static int SplitOf(int index) => (index % 10) switch { 8 => 1, 9 => 2, _ => 0 };

    /// <summary>Reads every .txt file of <paramref name="directory"/> and builds the three parts.</summary>
    public static NgramDataset Load(string directory, int order = 4, int vocabularySize = 250)
    {
        if (order < 2) throw new ArgumentOutOfRangeException(nameof(order), order, "an n-gram example needs order >= 2");
        var files = TextCorpus.Files(directory);
        var tokens = TextCorpus.Tokenize(files);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int f = 0; f < files.Length; f++)
            if (SplitOf(f) == 0)
                foreach (var t in tokens[f]) counts[t] = counts.GetValueOrDefault(t) + 1;
        if (counts.Count == 0)
            throw new InvalidDataException($"{directory}: the training files (all but every 9th and 10th) hold no words");
        var vocabulary = Vocabulary.FromCounts(counts, vocabularySize);
        return new NgramDataset(vocabulary, Build(0), Build(1), Build(2));

        NgramSplit Build(int split)
        {
            var windows = new List<int>();
            int nfiles = 0;
            long ntokens = 0;
            var ids = new List<int>();
            for (int f = 0; f < files.Length; f++)
            {
                if (SplitOf(f) != split) continue;
                nfiles++;
                ntokens += tokens[f].Count;
                ids.Clear();
                foreach (var t in tokens[f]) ids.Add(vocabulary.IndexOf(t));
                int run = 0; // in-vocabulary tokens ending at i
                for (int i = 0; i < ids.Count; i++)
                {
                    run = ids[i] >= 0 ? run + 1 : 0;
                    if (run < order) continue;
                    for (int k = i - order + 1; k <= i; k++) windows.Add(ids[k]);
                }
            }
            return new NgramSplit(order, windows.ToArray(), nfiles, ntokens);
        }
    }
}
