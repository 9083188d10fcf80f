namespace Hpc.Nn;

/// <summary>How <see cref="Sgd"/> accumulates its velocity (g' is the gradient with the penalties folded in).</summary>
public enum MomentumForm
{
    /// <summary>Classic, dampening-free (PyTorch's form): v = momentum v + g'; w -= lr v.</summary>
    Classic,

    /// <summary>Nesterov's look-ahead (PyTorch's form): v = momentum v + g'; w -= lr (g' + momentum v).</summary>
    Nesterov,

    /// <summary>
    /// The velocity is an exponential moving average of the gradients, a convex combination of the
    /// old velocity and the new gradient: v = momentum v + (1 - momentum) g'; w -= lr v. Its steps are
    /// (1 - momentum) times the classic ones, so the learning rate does not need rescaling when the
    /// momentum changes. The state tensor holds -v (it points downhill).
    /// </summary>
    ExponentialAverage,
}
