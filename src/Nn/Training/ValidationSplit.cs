namespace Hpc.Nn;

/// <summary>Holds out a seeded random part of a data set for validation (early stopping, model selection).</summary>
public static class ValidationSplit
{
    /// <summary>
    /// Splits <paramref name="data"/> into (train, validation) with round(fraction * count)
    /// validation rows drawn by a seeded shuffle; both keep the original relative order.
    /// </summary>
    public static (Dataset Train, Dataset Validation) Split(Dataset data, double fraction, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!double.IsFinite(fraction) || fraction <= 0 || fraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"validation fraction must be in (0, 1), got {fraction}");
        int n = data.Count;
        int nVal = (int)Math.Round(fraction * n);
        if (nVal == 0 || nVal == n)
            throw new ArgumentException($"a validation fraction of {fraction} of {n} rows leaves one side empty", nameof(fraction));
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        new Rng(seed).Shuffle(order.AsSpan());
        var isVal = new bool[n];
        for (int i = 0; i < nVal; i++) isVal[order[i]] = true;
        return (Subset(data, isVal, false, n - nVal), Subset(data, isVal, true, nVal));
    }

    private static Dataset Subset(Dataset data, bool[] isVal, bool want, int count)
    {
        int f = data.FeatureCount;
        var features = new float[(long)count * f];
        var labels = new int[count];
        int k = 0;
        for (int i = 0; i < isVal.Length; i++)
        {
            if (isVal[i] != want) continue;
            data.Row(i).CopyTo(features.AsSpan(k * f, f));
            labels[k++] = data.Labels[i];
        }
        return new Dataset(features, labels, f, data.Classes);
    }
}
