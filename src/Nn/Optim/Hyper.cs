namespace Hpc.Nn;

/// <summary>Checks of hyper-parameters, throwing an <see cref="ArgumentOutOfRangeException"/> that names the bad value.</summary>
internal static class Hyper
{
    public static float NonNegative(float value, string name)
    {
        if (!float.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and >= 0, got {value}");
        return value;
    }

    public static float Positive(float value, string name)
    {
        if (!float.IsFinite(value) || value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and > 0, got {value}");
        return value;
    }

    /// <summary>Moving-average and momentum coefficients: [0, 1).</summary>
    public static float UnitInterval(float value, string name)
    {
        if (!float.IsFinite(value) || value < 0 || value >= 1)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1), got {value}");
        return value;
    }
}
