namespace Hpc.Nn;

/// <summary>One layer line of a <see cref="ModelSpec"/> with the shape it produces.</summary>
/// <param name="LineNumber">1-based line in the spec.</param>
/// <param name="Text">The line as written (comment stripped).</param>
/// <param name="Kind">conv, maxpool, avgpool, flatten, linear, dropout, or an activation (relu, sigmoid, tanh, identity, arctan, step, softmax, leaky-relu, prelu).</param>
/// <param name="OutputShape">Per-sample output: "CxHxW" for images, the feature count otherwise.</param>
public sealed record ModelSpecLayer(int LineNumber, string Text, string Kind, string OutputShape)
{
    internal int Units;                  // conv filters / linear outputs
    internal (int H, int W) Kernel;      // conv kernel / pool window
    internal (int H, int W) Stride;
    internal (int H, int W) Padding;
    internal (int H, int W) Dilation;
    internal bool Bias = true;
    internal bool CountIncludePad = true;
    internal float Rate;                 // dropout
    internal ulong? Seed;                // dropout masks (null: the build seed + line number)
    internal float Slope;                // leaky-relu slope, prelu initial slope
    internal ActivationKind Activation;  // conv: fused activation (act=)
    internal ImageShape? Input;          // image input of spatial layers
    internal int InFeatures;             // linear, prelu (features in)
}
