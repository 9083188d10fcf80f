namespace Hpc.BindGen;

/// <summary>A line diff (longest common subsequence) short enough to print when --check fails.</summary>
public static class LineDiff
{
    /// <summary>"-" lines only in <paramref name="oldText"/>, "+" lines only in <paramref name="newText"/>,
    /// each with its 1-based line number, at most <paramref name="maxLines"/> of them.</summary>
    public static IReadOnlyList<string> Summarize(string oldText, string newText, int maxLines = 40)
    {
        var a = Split(oldText);
        var b = Split(newText);
        // Common prefix and suffix first: regenerations usually differ in one small region.
        int start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start]) start++;
        int endA = a.Length, endB = b.Length;
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1]) { endA--; endB--; }

        int n = endA - start, m = endB - start;
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
            for (var j = m - 1; j >= 0; j--)
                lcs[i, j] = a[start + i] == b[start + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var lines = new List<string>();
        int x = 0, y = 0, total = 0;
        void Add(string s) { total++; if (lines.Count < maxLines) lines.Add(s); }
        while (x < n || y < m)
        {
            if (x < n && y < m && a[start + x] == b[start + y]) { x++; y++; }
            else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1])) { Add($"-{start + x + 1,5}: {a[start + x]}"); x++; }
            else { Add($"+{start + y + 1,5}: {b[start + y]}"); y++; }
        }
        if (total > lines.Count) lines.Add($"... and {total - lines.Count} more changed lines");
        return lines;
    }

    private static string[] Split(string s) => s.Replace("\r\n", "\n").Split('\n');
}
