namespace Hpc.Nn;

/// <summary>Ready-made networks: multi-layer perceptrons of any shape, and LeNet.</summary>
public static class Models
{
    /// <summary>The default MNIST model: 784-256-128-10 with ReLU.</summary>
    public static readonly int[] DefaultMlpSizes = [784, 256, 128, 10];

    /// <summary>The initialisation names: the <see cref="InitScheme"/> ones plus "normal" and "uniform" (fixed scale).</summary>
    public static readonly string[] InitNames = ["pytorch", "xavier-uniform", "xavier-normal", "he", "he-uniform", "lecun", "lecun-uniform", "normal", "uniform"];

    /// <summary>
    /// A multi-layer perceptron: Linear layers of <paramref name="sizes"/> with <paramref name="activation"/> after each hidden
    /// one, followed by inverted dropout of <paramref name="dropout"/> when &gt; 0 (none after the
    /// output: it gives logits). <paramref name="init"/>: a scheme name of <see cref="Init.Parse"/>, or
    /// "normal" (weights N(0, scale^2), the small-weights experiment) or "uniform" (U(-scale, scale)),
    /// both with zero biases. <paramref name="bias"/>, when given, overrides every bias's start value
    /// (a small positive bias keeps ReLU units active at the start). Seeded: the same
    /// arguments give the same network.
    /// </summary>
    public static Sequential Mlp(IReadOnlyList<int> sizes, string activation = "relu", string init = "pytorch", float dropout = 0f,
        ulong seed = 42, Context? ctx = null, float scale = 0.01f, float? bias = null)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(init);
        if (sizes.Count < 2) throw new ArgumentException($"an MLP needs at least 2 sizes (input and output), got {sizes.Count}", nameof(sizes));
        for (int i = 0; i < sizes.Count; i++)
            if (sizes[i] <= 0) throw new ArgumentOutOfRangeException(nameof(sizes), sizes[i], $"layer size #{i} must be > 0");
        ActivationLayers.Canonical(activation);
        if (!float.IsFinite(dropout) || dropout < 0 || dropout >= 1)
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"dropout rate must be in [0, 1), got {dropout}");
        Hyper.Positive(scale, nameof(scale));
        if (bias is { } b0 && !float.IsFinite(b0)) throw new ArgumentOutOfRangeException(nameof(bias), b0, $"bias must be finite, got {b0}");
        string initName = init.Trim().ToLowerInvariant();
        InitScheme? scheme = initName is "normal" or "gaussian" or "uniform" ? null : Init.Parse(init);

        var net = new Sequential(ctx);
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            net.Add(new Linear(sizes[i], sizes[i + 1], bias: true, ctx));
            if (i + 2 < sizes.Count)
            {
                net.Add(ActivationLayers.Create(activation, sizes[i + 1], ctx));
                if (dropout > 0) net.Add(new Dropout(dropout, seed + (ulong)i + 1, ctx));
            }
        }
        var rng = new Rng(seed);
        if (scheme is { } s)
        {
            net.ResetParameters(s, rng);
        }
        else
        {
            foreach (var layer in net.Layers.OfType<Linear>())
            {
                if (initName == "uniform") Init.Uniform(layer.Weight.Value.AsSpan(), scale, rng);
                else Init.Normal(layer.Weight.Value.AsSpan(), scale, rng);
                layer.Bias?.Value.Fill(0f);
            }
        }
        if (bias is { } b)
            foreach (var layer in net.Layers.OfType<Linear>()) layer.Bias?.Value.Fill(b);
        return net;
    }

    /// <summary>The CNN for 1x28x28 digits (see <see cref="Hpc.Nn.LeNet"/>), conv ReLUs fused.</summary>
    public static Sequential LeNet(ulong seed = 42, InitScheme init = InitScheme.PyTorchDefault, Context? ctx = null) =>
        Hpc.Nn.LeNet.Create(seed, init, ctx);
}
