namespace Hpc.Nn;

/// <summary>y = 1 / (1 + e^-x).</summary>
public sealed class Sigmoid(Context? ctx = null) : Activation(ctx)
{
    public override ActivationKind Kind => ActivationKind.Sigmoid;
}
