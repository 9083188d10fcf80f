namespace Hpc.Nn;

/// <summary>
/// Every activation layer by name, the parameterised and learnable ones included (the
/// <see cref="ActivationKind"/> set covers only the kernels without parameters).
/// </summary>
public static class ActivationLayers
{
    /// <summary>The accepted names, for help texts and error messages.</summary>
    public static readonly string[] Names = ["identity", "relu", "sigmoid", "tanh", "arctan", "leaky-relu", "prelu", "step"];

    /// <summary>
    /// The layer named <paramref name="name"/> (case-insensitive; "linear" = identity, "logistic" =
    /// sigmoid, "leaky" = leaky-relu, "threshold"/"heaviside" = step) for <paramref name="units"/>
    /// units (PReLU learns one slope per unit). Unknown names throw an ArgumentException naming the value.
    /// </summary>
    public static Module Create(string name, int units, Context? ctx = null, float leakySlope = 0.01f)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Normalise(name) switch
        {
            "identity" => new Identity(ctx),
            "relu" => new ReLU(ctx),
            "sigmoid" => new Sigmoid(ctx),
            "tanh" => new Tanh(ctx),
            "arctan" => new Arctan(ctx),
            "leaky-relu" => new LeakyReLU(leakySlope, ctx),
            "prelu" => new PReLU(units, 0.25f, ctx),
            "step" => new Step(ctx),
            _ => throw Unknown(name),
        };
    }

    /// <summary>The canonical name of <paramref name="name"/>, or an ArgumentException naming it.</summary>
    public static string Canonical(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string n = Normalise(name);
        return Array.IndexOf(Names, n) >= 0 ? n : throw Unknown(name);
    }

    private static string Normalise(string name) => name.Trim().ToLowerInvariant().Replace('_', '-') switch
    {
        "linear" => "identity",
        "logistic" => "sigmoid",
        "atan" => "arctan",
        "leaky" or "leakyrelu" => "leaky-relu",
        "threshold" or "heaviside" => "step",
        var n => n,
    };

    private static ArgumentException Unknown(string name) =>
        new($"unknown activation '{name}' (expected {string.Join(", ", Names)})", nameof(name));
}
