using Hpc.Nn;

namespace Hpc.Tests.Nn;

/// <summary>Small deterministic data sets for training tests that must not depend on data/mnist.</summary>
internal static class Synthetic
{
    /// <summary>
    /// Gaussian blobs: class c centred at a fixed random point, features = centre + noise. Learnable,
    /// but not in one step, so a few training steps exercise every kernel.
    /// </summary>
    public static Dataset Blobs(int count, int features, int classes, ulong seed, double noise = 0.7, ulong? sampleSeed = null)
    {
        var rng = new Rng(seed);
        var centres = new double[classes * features];
        for (int i = 0; i < centres.Length; i++) centres[i] = rng.NextGaussian();
        // Same centres, other samples: a test set from the training set's distribution.
        if (sampleSeed is { } s) rng = new Rng(s);
        var x = new float[count * features];
        var y = new int[count];
        for (int r = 0; r < count; r++)
        {
            int c = rng.NextInt(classes);
            y[r] = c;
            for (int f = 0; f < features; f++) x[r * features + f] = (float)(centres[c * features + f] + noise * rng.NextGaussian());
        }
        return new Dataset(x, y, features, classes);
    }

    public static Tensor RandomTensor(ulong seed, double bound, params int[] shape)
    {
        var t = new Tensor(shape);
        Init.Uniform(t.AsSpan(), bound, new Rng(seed));
        return t;
    }
}
