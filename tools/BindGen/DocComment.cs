namespace Hpc.BindGen;

/// <summary>Turns a raw C doc comment (<c>/** ... */</c> or <c>///</c> lines) into XML-safe text lines.</summary>
internal static class DocComment
{
    public static IReadOnlyList<string> Lines(string raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return [];
        var text = raw.Replace("\r\n", "\n").Replace('\r', '\n').Trim();
        if (text.StartsWith("/**") || text.StartsWith("/*!")) text = text[3..];
        else if (text.StartsWith("/*")) text = text[2..];
        if (text.EndsWith("*/")) text = text[..^2];

        var lines = new List<string>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("///") || line.StartsWith("//!")) line = line[3..];
            else if (line.StartsWith('*')) line = line.TrimStart('*');
            lines.Add(Escape(line.Trim()));
        }
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
