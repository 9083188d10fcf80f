namespace Hpc.Nn;

/// <summary>y = tanh(x).</summary>
public sealed class Tanh(Context? ctx = null) : Activation(ctx)
{
    public override ActivationKind Kind => ActivationKind.Tanh;
}
