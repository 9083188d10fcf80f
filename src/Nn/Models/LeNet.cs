namespace Hpc.Nn;

/// <summary>
/// A LeNet-style CNN for 1x28x28 digits: conv 1->32 5x5 pad 2, ReLU, max pool 2, conv 32->64 5x5
/// pad 2, ReLU, max pool 2, Linear 3136->128, ReLU, Linear 128->10 (logits).
/// </summary>
public static class LeNet
{
    /// <summary>The architecture as a <see cref="ModelSpec"/> (examples/lenet.spec holds the same text).</summary>
    public const string Spec = """
        input 1x28x28
        conv 32 5x5 pad=2
        relu
        maxpool 2
        conv 64 5x5 pad=2
        relu
        maxpool 2
        flatten
        linear 128
        relu
        linear 10
        """;

    /// <summary>
    /// Builds LeNet initialised with <paramref name="init"/> from <paramref name="seed"/>; the conv
    /// ReLUs are fused into the convolutions unless <paramref name="fuseActivations"/> is false.
    /// </summary>
    public static Sequential Create(ulong seed = 42, InitScheme init = InitScheme.PyTorchDefault, Context? ctx = null,
        bool fuseActivations = true) =>
        ModelSpec.Parse(Spec, "lenet").Build(seed, init, ctx, fuseActivations);
}
