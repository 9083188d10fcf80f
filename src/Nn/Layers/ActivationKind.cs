namespace Hpc.Nn;

/// <summary>Element-wise activations with a native forward/backward kernel.</summary>
public enum ActivationKind
{
    Identity,
    ReLU,
    /// <summary>Logistic 1 / (1 + e^-z).</summary>
    Sigmoid,
    Tanh,
}
