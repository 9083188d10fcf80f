namespace Hpc.Nn;

/// <summary>
/// AdamW (Loshchilov and Hutter): the weight decay is decoupled from the gradient,
/// w *= 1 - lr * weightDecay, then the Adam step. Biases are not decayed unless asked.
/// </summary>
public sealed class AdamW(IEnumerable<Parameter> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
    float eps = 1e-8f, Penalties penalties = default, Context? ctx = null)
    : Adam(parameters, lr, beta1, beta2, eps, penalties, ctx, decoupled: true);
