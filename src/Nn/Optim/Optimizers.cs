namespace Hpc.Nn;

/// <summary>Optimizers by name, for command lines and configuration files.</summary>
public static class Optimizers
{
    /// <summary>The accepted names.</summary>
    public static readonly string[] Names = ["sgd", "momentum", "seed-momentum", "nesterov", "rmsprop", "adam", "adamw"];

    /// <summary>
    /// Creates the optimizer named <paramref name="name"/>: "sgd" (plain, or classic momentum when
    /// <paramref name="momentum"/> &gt; 0), "momentum" (classic), "seed-momentum" (seed 001's convex
    /// form), "nesterov", "rmsprop", "adam", "adamw". <paramref name="momentum"/> is also RMSProp's
    /// momentum and is ignored by Adam/AdamW. Unknown names throw an ArgumentException naming the value.
    /// </summary>
    public static Optimizer Create(string name, IEnumerable<Parameter> parameters, float lr, float momentum = 0f,
        Penalties penalties = default, Context? ctx = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant().Replace('_', '-') switch
        {
            "sgd" => new Momentum(parameters, lr, momentum, penalties, ctx),
            "momentum" => new Momentum(parameters, lr, momentum == 0f ? 0.9f : momentum, penalties, ctx),
            "seed-momentum" or "convex-momentum" => new SeedMomentum(parameters, lr, momentum == 0f ? 0.9f : momentum, penalties, ctx),
            "nesterov" => new Nesterov(parameters, lr, momentum == 0f ? 0.9f : momentum, penalties, ctx),
            "rmsprop" => new RmsProp(parameters, lr, momentum: momentum, penalties: penalties, ctx: ctx),
            "adam" => new Adam(parameters, lr, penalties: penalties, ctx: ctx),
            "adamw" => new AdamW(parameters, lr, penalties: penalties, ctx: ctx),
            _ => throw new ArgumentException($"unknown optimizer '{name}' (expected {string.Join(", ", Names)})", nameof(name)),
        };
    }
}
