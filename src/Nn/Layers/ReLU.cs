namespace Hpc.Nn;

/// <summary>y = max(0, x).</summary>
public sealed class ReLU(Context? ctx = null) : Activation(ctx)
{
    public override ActivationKind Kind => ActivationKind.ReLU;
}
