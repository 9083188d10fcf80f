namespace Hpc.Nn;

/// <summary>Seeded, reproducible weight initialisation.</summary>
public static class Init
{
    /// <summary>Re-initialises every parameter of <paramref name="module"/> from <paramref name="seed"/>.</summary>
    public static void Apply(Module module, InitScheme scheme, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(module);
        module.ResetParameters(scheme, new Rng(seed));
    }

    /// <summary>Fills a weight tensor of fan_in inputs and fan_out units by <paramref name="scheme"/>.</summary>
    public static void Initialize(Tensor weight, int fanIn, int fanOut, InitScheme scheme, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(rng);
        if (fanIn <= 0) throw new ArgumentOutOfRangeException(nameof(fanIn), fanIn, "fan_in must be > 0");
        if (fanOut <= 0) throw new ArgumentOutOfRangeException(nameof(fanOut), fanOut, "fan_out must be > 0");
        var w = weight.AsSpan();
        switch (scheme)
        {
            case InitScheme.PyTorchDefault: Uniform(w, 1.0 / Math.Sqrt(fanIn), rng); break;
            case InitScheme.XavierUniform: Uniform(w, Math.Sqrt(6.0 / (fanIn + fanOut)), rng); break;
            case InitScheme.XavierNormal: Normal(w, Math.Sqrt(2.0 / (fanIn + fanOut)), rng); break;
            case InitScheme.HeUniform: Uniform(w, Math.Sqrt(6.0 / fanIn), rng); break;
            case InitScheme.HeNormal: Normal(w, Math.Sqrt(2.0 / fanIn), rng); break;
            case InitScheme.LeCunNormal: Normal(w, Math.Sqrt(1.0 / fanIn), rng); break;
            case InitScheme.LeCunUniform: Uniform(w, Math.Sqrt(3.0 / fanIn), rng); break;
            default: throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown init scheme");
        }
    }

    /// <summary>Biases: zero, except PyTorch's default which draws them like the weights.</summary>
    public static void InitializeBias(Tensor bias, int fanIn, InitScheme scheme, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(bias);
        if (scheme == InitScheme.PyTorchDefault) Uniform(bias.AsSpan(), 1.0 / Math.Sqrt(fanIn), rng);
        else bias.Fill(0f);
    }

    /// <summary>U(-bound, bound).</summary>
    public static void Uniform(Span<float> values, double bound, Rng rng)
    {
        if (!(bound >= 0) || double.IsInfinity(bound)) throw new ArgumentOutOfRangeException(nameof(bound), bound, "bound must be finite and >= 0");
        for (int i = 0; i < values.Length; i++) values[i] = (float)((2 * rng.NextDouble() - 1) * bound);
    }

    /// <summary>N(0, std^2).</summary>
    public static void Normal(Span<float> values, double std, Rng rng)
    {
        if (!(std >= 0) || double.IsInfinity(std)) throw new ArgumentOutOfRangeException(nameof(std), std, "std must be finite and >= 0");
        for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextGaussian() * std);
    }

    /// <summary>Parses a scheme name: "pytorch|xavier-uniform|xavier-normal|he-uniform|he-normal|lecun-normal|lecun-uniform" (also glorot-*, kaiming-*).</summary>
    public static InitScheme Parse(string name) => name.Trim().ToLowerInvariant().Replace('_', '-') switch
    {
        "pytorch" or "default" or "pytorch-default" => InitScheme.PyTorchDefault,
        "xavier-uniform" or "glorot-uniform" or "xavier" => InitScheme.XavierUniform,
        "xavier-normal" or "glorot-normal" => InitScheme.XavierNormal,
        "he-uniform" or "kaiming-uniform" => InitScheme.HeUniform,
        "he-normal" or "kaiming-normal" or "he" => InitScheme.HeNormal,
        "lecun-normal" or "lecun" => InitScheme.LeCunNormal,
        "lecun-uniform" => InitScheme.LeCunUniform,
        _ => throw new ArgumentException($"unknown init scheme '{name}' (expected pytorch, xavier-uniform, xavier-normal, he-uniform, he-normal, lecun-normal or lecun-uniform)", nameof(name)),
    };
}
