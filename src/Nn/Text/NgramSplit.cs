namespace Hpc.Nn;

/// <summary>One part (training, validation or test) of an <see cref="NgramDataset"/>.</summary>
public sealed class NgramSplit
{
    internal NgramSplit(int order, int[] windows, int files, long tokens)
    {
        Order = order;
        Windows = windows;
        Files = files;
        Tokens = tokens;
    }

    public int Order { get; }

    /// <summary>Count x Order word indices, row-major: the first Order - 1 are the context, the last the target.</summary>
    public int[] Windows { get; }

    public int Count => Windows.Length / Order;

    /// <summary>Documents in this part.</summary>
    public int Files { get; }

    /// <summary>Tokens in those documents (in the vocabulary or not).</summary>
    public long Tokens { get; }

    public ReadOnlySpan<int> Context(int example) => Windows.AsSpan(example * Order, Order - 1);

    public int Target(int example) => Windows[example * Order + Order - 1];

    /// <summary>
    /// As a classification set: the context indices as features (whole numbers, what
    /// <see cref="Embedding"/> reads), the target as label over <paramref name="classes"/> words.
    /// </summary>
    public Dataset ToDataset(int classes)
    {
        int n = Count, c = Order - 1;
        var x = new float[n * c];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < c; k++) x[i * c + k] = Windows[i * Order + k];
            y[i] = Windows[i * Order + c];
        }
        return new Dataset(x, y, c, classes);
    }
}
