namespace Hpc.Nn;

/// <summary>
/// A text read character by character: the vocabulary is the text's distinct characters (UTF-16
/// code units, in ordinal order), and the text splits by position into the first 90% for
/// training, the next 5% for validation and the last 5% for testing (the character language
/// model's defaults).
/// </summary>
public sealed class CharCorpus
{
    private readonly Dictionary<char, int> _index;

    public CharCorpus(string text, double trainFraction = 0.90, double validationFraction = 0.05)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!(trainFraction > 0) || !(validationFraction >= 0) || trainFraction + validationFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(trainFraction), "need 0 < train, 0 <= validation and train + validation < 1");
        Vocabulary = text.Distinct().Order().ToArray();
        if (Vocabulary.Length < 2) throw new InvalidDataException($"the text has {Vocabulary.Length} distinct characters; a language model needs at least 2");
        _index = new Dictionary<char, int>(Vocabulary.Length);
        for (int i = 0; i < Vocabulary.Length; i++) _index[Vocabulary[i]] = i;
        var all = Encode(text);
        int trainEnd = (int)(all.Length * trainFraction), validEnd = (int)(all.Length * (trainFraction + validationFraction));
        Train = all[..trainEnd];
        Validation = all[trainEnd..validEnd];
        Test = all[validEnd..];
    }

    /// <summary>Reads a UTF-8 text file.</summary>
    public static CharCorpus Load(string path) => new(File.ReadAllText(path));

    /// <summary>The distinct characters; a character's index is its class.</summary>
    public char[] Vocabulary { get; }

    public int[] Train { get; }
    public int[] Validation { get; }
    public int[] Test { get; }

    /// <summary>Indices of <paramref name="text"/>; a character outside the vocabulary is an error naming it.</summary>
    public int[] Encode(string text)
    {
        var result = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
            result[i] = _index.TryGetValue(text[i], out int k)
                ? k
                : throw new ArgumentException($"character '{text[i]}' (U+{(int)text[i]:X4}) at position {i} is not in the vocabulary", nameof(text));
        return result;
    }

    public char Decode(int index) => Vocabulary[index];
}
