using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>Reproducible synthetic inputs: pixels in [0, 1) like normalised MNIST, labels in [0, classes).</summary>
public static class Inputs
{
    public static int[] Fill(Tensor x, int batch, int classes, ulong seed)
    {
        var rng = new Rng(seed);
        var span = x.AsSpan();
        for (int i = 0; i < span.Length; i++) span[i] = rng.NextFloat();
        var labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = (int)(rng.NextUInt64() % (ulong)classes);
        return labels;
    }
}
