namespace Hpc.Nn;

/// <summary>Ready-made networks.</summary>
public static class Models
{
    /// <summary>The default MNIST model: 784-256-128-10 with ReLU.</summary>
    public static readonly int[] DefaultMlpSizes = [784, 256, 128, 10];

    /// <summary>
    /// A multi-layer perceptron: Linear layers of the given sizes with <paramref name="activation"/>
    /// between them (none after the last: it outputs logits), initialised with <paramref name="init"/>
    /// from <paramref name="seed"/>.
    /// </summary>
    public static Sequential Mlp(IReadOnlyList<int> sizes, ActivationKind activation = ActivationKind.ReLU,
        InitScheme init = InitScheme.PyTorchDefault, ulong seed = 42, Context? ctx = null)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count < 2) throw new ArgumentException($"an MLP needs at least 2 sizes (input and output), got {sizes.Count}", nameof(sizes));
        for (int i = 0; i < sizes.Count; i++)
            if (sizes[i] <= 0) throw new ArgumentOutOfRangeException(nameof(sizes), sizes[i], $"layer size #{i} must be > 0");
        var net = new Sequential(ctx);
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            net.Add(new Linear(sizes[i], sizes[i + 1], bias: true, ctx));
            if (i + 2 < sizes.Count) net.Add(Activation.Create(activation, ctx));
        }
        net.ResetParameters(init, new Rng(seed));
        return net;
    }

    /// <summary>The issue-5 CNN for 1x28x28 digits (see <see cref="Hpc.Nn.LeNet"/>), conv ReLUs fused.</summary>
    public static Sequential LeNet(ulong seed = 42, InitScheme init = InitScheme.PyTorchDefault, Context? ctx = null) =>
        Hpc.Nn.LeNet.Create(seed, init, ctx);
}
