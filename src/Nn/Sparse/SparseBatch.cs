namespace Hpc.Nn;

/// <summary>
/// Rows of sparse features in CSR form: row i holds the entries [Offsets[i], Offsets[i + 1]) with
/// column Columns[p] and value Values[p], or 1 for every entry when Values is null (binary
/// bag-of-features inputs). The arrays may be longer than used (a reusable batch buffer).
/// </summary>
public sealed class SparseBatch
{
    public SparseBatch(long[] offsets, int[] columns, float[]? values, int rows, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(columns);
        if (rows < 0 || offsets.Length < rows + 1) throw new ArgumentException($"{offsets.Length} offsets for {rows} rows", nameof(offsets));
        if (featureCount <= 0) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "featureCount must be > 0");
        if (values is not null && values.Length < columns.Length) throw new ArgumentException("fewer values than columns", nameof(values));
        Offsets = offsets;
        Columns = columns;
        Values = values;
        Rows = rows;
        FeatureCount = featureCount;
    }

    public long[] Offsets { get; private set; }
    public int[] Columns { get; private set; }
    public float[]? Values { get; private set; }
    public int Rows { get; private set; }
    public int FeatureCount { get; }

    /// <summary>Stored entries in use.</summary>
    public long Count => Offsets[Rows];

    /// <summary>The active feature indices of <paramref name="row"/>.</summary>
    public ReadOnlySpan<int> Row(int row) => Columns.AsSpan((int)Offsets[row], (int)(Offsets[row + 1] - Offsets[row]));

    /// <summary>Binary rows from lists of active features (one list per row).</summary>
    public static SparseBatch FromRows(IReadOnlyList<int[]> rows, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var offsets = new long[rows.Count + 1];
        for (int i = 0; i < rows.Count; i++) offsets[i + 1] = offsets[i] + rows[i].Length;
        var cols = new int[offsets[^1]];
        for (int i = 0; i < rows.Count; i++) rows[i].CopyTo(cols, (int)offsets[i]);
        return new SparseBatch(offsets, cols, null, rows.Count, featureCount);
    }

    /// <summary>Copies the rows listed in <paramref name="rows"/> of this set, in that order, into <paramref name="buffer"/> (grown when needed, else reused).</summary>
    public SparseBatch Gather(ReadOnlySpan<int> rows, ref SparseBatch? buffer)
    {
        long nnz = 0;
        foreach (int r in rows) nnz += Offsets[r + 1] - Offsets[r];
        if (buffer is null || buffer.Offsets.Length < rows.Length + 1 || buffer.Columns.Length < nnz || buffer.FeatureCount != FeatureCount
            || (Values is null) != (buffer.Values is null))
        {
            int capRows = Math.Max(rows.Length, buffer?.Offsets.Length - 1 ?? 0);
            long capNnz = Math.Max(nnz, buffer?.Columns.Length ?? 0);
            buffer = new SparseBatch(new long[capRows + 1], new int[capNnz], Values is null ? null : new float[capNnz], 0, FeatureCount);
        }
        long at = 0;
        buffer.Offsets[0] = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            int start = (int)Offsets[r], len = (int)(Offsets[r + 1] - Offsets[r]);
            Array.Copy(Columns, start, buffer.Columns, at, len);
            if (Values is not null) Array.Copy(Values, start, buffer.Values!, at, len);
            at += len;
            buffer.Offsets[i + 1] = at;
        }
        buffer.Rows = rows.Length;
        return buffer;
    }
}
