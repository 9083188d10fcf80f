using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Gradient clipping between backward and the optimizer step: by global norm (the norm of all
/// gradients seen as one vector, summed natively in double) or element-wise by value. A
/// non-finite norm is left unscaled and reported, so a diverged step is not hidden.
/// </summary>
public static unsafe class GradientClipping
{
    /// <summary>
    /// Scales every gradient by maxNorm / (norm + 1e-6) when the global L2 norm exceeds
    /// <paramref name="maxNorm"/>. Returns the norm before clipping.
    /// </summary>
    public static double ClipByGlobalNorm(IEnumerable<Parameter> parameters, float maxNorm, Context? ctx = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Hyper.Positive(maxNorm, nameof(maxNorm));
        var c = ctx ?? Context.Default;
        var list = parameters as IReadOnlyList<Parameter> ?? parameters.ToArray();
        double norm = GlobalNorm(list, c);
        if (double.IsFinite(norm) && norm > maxNorm)
        {
            float scale = (float)(maxNorm / (norm + 1e-6));
            for (int i = 0; i < list.Count; i++)
                c.Check(Native.hpc_scale(c.Ptr, list[i].Grad.Length, scale, list[i].Grad.Data));
        }
        return norm;
    }

    /// <summary>The L2 norm of all gradients together: sqrt(sum over tensors of sum g^2).</summary>
    public static double GlobalNorm(IEnumerable<Parameter> parameters, Context? ctx = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters as IReadOnlyList<Parameter> ?? parameters.ToArray();
        return GlobalNorm(list, ctx ?? Context.Default);
    }

    private static double GlobalNorm(IReadOnlyList<Parameter> list, Context c)
    {
        double total = 0;
        for (int i = 0; i < list.Count; i++)
        {
            double s;
            c.Check(Native.hpc_sum_squares(c.Ptr, list[i].Grad.Length, list[i].Grad.Data, &s));
            total += s;
        }
        return Math.Sqrt(total);
    }

    /// <summary>Clamps every gradient element into [-<paramref name="limit"/>, <paramref name="limit"/>] (NaN stays NaN).</summary>
    public static void ClipByValue(IEnumerable<Parameter> parameters, float limit, Context? ctx = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Hyper.NonNegative(limit, nameof(limit));
        var c = ctx ?? Context.Default;
        foreach (var p in parameters)
            c.Check(Native.hpc_clip_by_value(c.Ptr, p.Grad.Length, -limit, limit, p.Grad.Data));
    }
}
