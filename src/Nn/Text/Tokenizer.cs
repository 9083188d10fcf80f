namespace Hpc.Nn;

/// <summary>
/// Splits text into words: the text is lower-cased and every maximal run of ASCII letters is one
/// token ("Nation's" gives "nation", "s"). Everything else separates tokens.
/// </summary>
/// <remarks>
/// It reads bytes, not decoded characters, so any file is accepted whatever its encoding (raw mail
/// in Latin-1, UTF-8, binary attachments): a byte outside A-Z / a-z, including every byte of a
/// multi-byte UTF-8 character, is a separator ("café" gives "caf"). No input is rejected.
/// </remarks>
public static class Tokenizer
{
    /// <summary>The tokens of <paramref name="text"/> in order. Equal words share one string instance.</summary>
    public static List<string> Tokenize(ReadOnlySpan<byte> text, Dictionary<string, string>? intern = null)
    {
        var tokens = new List<string>();
        ForEach(text, intern ?? new Dictionary<string, string>(StringComparer.Ordinal), tokens.Add);
        return tokens;
    }

    /// <summary>Calls <paramref name="onToken"/> for each token of <paramref name="text"/>, interning through <paramref name="intern"/>.</summary>
    public static void ForEach(ReadOnlySpan<byte> text, Dictionary<string, string> intern, Action<string> onToken)
    {
        ArgumentNullException.ThrowIfNull(intern);
        ArgumentNullException.ThrowIfNull(onToken);
        var lookup = intern.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> word = stackalloc char[256];
        char[]? big = null;
        int i = 0, n = text.Length;
        while (i < n)
        {
            while (i < n && !IsLetter(text[i])) i++;
            int start = i;
            while (i < n && IsLetter(text[i])) i++;
            int len = i - start;
            if (len == 0) break;
            Span<char> buf = len <= word.Length ? word : (big is { Length: var bl } && bl >= len ? big : big = new char[len]);
            for (int k = 0; k < len; k++) buf[k] = (char)(text[start + k] | 0x20);
            var span = buf[..len];
            if (!lookup.TryGetValue(span, out var s))
            {
                s = new string(span);
                intern[s] = s;
            }
            onToken(s);
        }
    }

    /// <summary>Tokenizes a string by its UTF-16 code units with the same rule.</summary>
    public static List<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++) bytes[i] = text[i] < 128 ? (byte)text[i] : (byte)0x80;
        return Tokenize(bytes);
    }

    private static bool IsLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
