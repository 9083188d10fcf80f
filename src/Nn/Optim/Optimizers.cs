namespace Hpc.Nn;

/// <summary>Optimizers by name, for command lines and configuration files.</summary>
public static class Optimizers
{
    /// <summary>The accepted names.</summary>
    public static readonly string[] Names = ["sgd", "momentum", "nesterov", "ema-momentum", "rmsprop", "adam", "adamw"];

    /// <summary>
    /// Creates the optimizer named <paramref name="name"/>: "sgd" (plain, or classic momentum when
    /// <paramref name="momentum"/> &gt; 0), "momentum" (classic), "nesterov", "ema-momentum" (the
    /// velocity as an exponential moving average of the gradients, <see cref="MomentumForm.ExponentialAverage"/>),
    /// "rmsprop", "adam", "adamw". The three momentum names default to momentum 0.9 when
    /// <paramref name="momentum"/> is 0. <paramref name="momentum"/> is also RMSProp's momentum and is
    /// ignored by Adam/AdamW. Unknown names throw an ArgumentException naming the value.
    /// </summary>
    public static Optimizer Create(string name, IEnumerable<Parameter> parameters, float lr, float momentum = 0f,
        Penalties penalties = default, Context? ctx = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        float heavy = momentum == 0f ? 0.9f : momentum;
        return Canonical(name) switch
        {
            "sgd" => new Sgd(parameters, lr, momentum, MomentumForm.Classic, penalties, ctx),
            "momentum" => new Sgd(parameters, lr, heavy, MomentumForm.Classic, penalties, ctx),
            "nesterov" => new Sgd(parameters, lr, heavy, MomentumForm.Nesterov, penalties, ctx),
            "ema-momentum" => new Sgd(parameters, lr, heavy, MomentumForm.ExponentialAverage, penalties, ctx),
            "rmsprop" => new RmsProp(parameters, lr, momentum: momentum, penalties: penalties, ctx: ctx),
            "adam" => new Adam(parameters, lr, penalties: penalties, ctx: ctx),
            "adamw" => new AdamW(parameters, lr, penalties: penalties, ctx: ctx),
            _ => throw new ArgumentException($"unknown optimizer '{name}' (expected {string.Join(", ", Names)})", nameof(name)),
        };
    }

    /// <summary>The canonical spelling of <paramref name="name"/> (case, '_' for '-', aliases), unchecked.</summary>
    public static string Canonical(string name) => name.Trim().ToLowerInvariant().Replace('_', '-') switch
    {
        "convex-momentum" or "ema" or "averaged-momentum" => "ema-momentum",
        var n => n,
    };
}
