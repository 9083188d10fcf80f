namespace Hpc.Nn;

/// <summary>A folder of plain-text documents (*.txt), in ordinal file-name order.</summary>
public static class TextCorpus
{
    /// <summary>
    /// The .txt files of <paramref name="directory"/> sorted by name (ordinal). A missing folder is a
    /// <see cref="DirectoryNotFoundException"/>, one without .txt files an <see cref="InvalidDataException"/>.
    /// </summary>
    public static string[] Files(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: no such directory");
        var files = Directory.GetFiles(directory, "*.txt", SearchOption.TopDirectoryOnly);
        if (files.Length == 0) throw new InvalidDataException($"{directory}: holds no .txt files");
        Array.Sort(files, (a, b) => string.CompareOrdinal(Path.GetFileName(a), Path.GetFileName(b)));
        return files;
    }

    /// <summary>The tokens of each file (see <see cref="Tokenizer"/>), words interned across files.</summary>
    public static List<string>[] Tokenize(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var intern = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new List<string>[files.Count];
        for (int i = 0; i < files.Count; i++) result[i] = Tokenizer.Tokenize(File.ReadAllBytes(files[i]), intern);
        return result;
    }
}
