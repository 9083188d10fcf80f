using System.Text.Json;

namespace Hpc.Nn;

/// <summary>
/// A labelled mail corpus in the SpamAssassin layout: DIR/file_list.json lists the message paths
/// (relative to DIR); a path whose first folder starts with "spam" is spam (label 1), any other is
/// ham (0). The list is sorted (ordinal) and every 5th message (index % 5 == 4) is test, the rest
/// training. Messages are tokenized whole, headers included (see <see cref="Tokenizer"/>).
/// </summary>
public sealed class SpamCorpus
{
    public const int Ham = 0, Spam = 1;

    private SpamCorpus(List<string>[] trainDocs, int[] trainLabels, List<string>[] testDocs, int[] testLabels)
    {
        TrainDocuments = trainDocs;
        TrainLabels = trainLabels;
        TestDocuments = testDocs;
        TestLabels = testLabels;
    }

    public IReadOnlyList<IReadOnlyList<string>> TrainDocuments { get; }
    public int[] TrainLabels { get; }
    public IReadOnlyList<IReadOnlyList<string>> TestDocuments { get; }
    public int[] TestLabels { get; }

    public static SpamCorpus Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string list = Path.Combine(directory, "file_list.json");
        if (!File.Exists(list)) throw new FileNotFoundException($"{list}: no such file (a SpamAssassin-style folder lists its messages there)", list);
        var paths = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(list));
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{list}: expected a JSON array of paths");
            foreach (var e in doc.RootElement.EnumerateArray())
                paths.Add(e.GetString() ?? throw new InvalidDataException($"{list}: a null path"));
        }
        catch (JsonException e) { throw new InvalidDataException($"{list}: not valid JSON: {e.Message}", e); }
        catch (InvalidOperationException e) { throw new InvalidDataException($"{list}: every entry must be a string path: {e.Message}", e); }
        if (paths.Count == 0) throw new InvalidDataException($"{list}: lists no messages");
        paths.Sort(StringComparer.Ordinal);
        var intern = new Dictionary<string, string>(StringComparer.Ordinal);
        var trainDocs = new List<List<string>>();
        var testDocs = new List<List<string>>();
        var trainLabels = new List<int>();
        var testLabels = new List<int>();
        for (int i = 0; i < paths.Count; i++)
        {
            string file = Path.Combine(directory, paths[i]);
            if (!File.Exists(file)) throw new FileNotFoundException($"{file}: listed in {list} but missing", file);
            var tokens = Tokenizer.Tokenize(File.ReadAllBytes(file), intern);
            int label = paths[i].Replace('\\', '/').Split('/')[0].StartsWith("spam", StringComparison.OrdinalIgnoreCase) ? Spam : Ham;
            (i % 5 == 4 ? testDocs : trainDocs).Add(tokens);
            (i % 5 == 4 ? testLabels : trainLabels).Add(label);
        }
        return new SpamCorpus(trainDocs.ToArray(), trainLabels.ToArray(), testDocs.ToArray(), testLabels.ToArray());
    }
}
