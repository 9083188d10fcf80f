namespace Hpc.Nn;

/// <summary>y = x (a linear unit; useful to build a network from an activation name).</summary>
public sealed class Identity(Context? ctx = null) : Activation(ctx)
{
    public override ActivationKind Kind => ActivationKind.Identity;
}
