namespace Hpc.Nn;

/// <summary>The parameter-free activations a layer can fuse into its output (<see cref="Conv2d"/>) and <see cref="Activation.Create"/> builds.</summary>
public enum ActivationKind
{
    Identity,
    ReLU,
    /// <summary>Logistic 1 / (1 + e^-z).</summary>
    Sigmoid,
    Tanh,
}
