namespace Hpc.Nn;

/// <summary>An in-memory classification set: Count rows of FeatureCount floats and an integer label each.</summary>
public sealed class Dataset
{
    public Dataset(float[] features, int[] labels, int featureCount, int classes)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureCount <= 0) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "featureCount must be > 0");
        if (classes <= 0) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be > 0");
        if ((long)labels.Length * featureCount != features.Length)
            throw new ArgumentException($"{features.Length} feature values do not make {labels.Length} rows of {featureCount}", nameof(features));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"label #{i} is {labels[i]}, outside [0, {classes})", nameof(labels));
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
        Classes = classes;
    }

    /// <summary>Row-major, Count x FeatureCount.</summary>
    public float[] Features { get; }

    public int[] Labels { get; }

    public int FeatureCount { get; }

    public int Classes { get; }

    public int Count => Labels.Length;

    public ReadOnlySpan<float> Row(int index) => Features.AsSpan(index * FeatureCount, FeatureCount);

    /// <summary>The first <paramref name="count"/> rows as a new set.</summary>
    public Dataset Take(int count)
    {
        if (count < 0 || count > Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"dataset has {Count} rows");
        return new Dataset(Features[..(count * FeatureCount)], Labels[..count], FeatureCount, Classes);
    }
}
