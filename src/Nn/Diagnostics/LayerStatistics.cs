using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>Summary of one layer's output over a batch (seed 002 Figures 23-26: z and activations by layer).</summary>
/// <param name="Index">Position of the layer in the <see cref="Sequential"/>.</param>
/// <param name="Layer">The layer's display name.</param>
/// <param name="Mean">Mean of the outputs.</param>
/// <param name="Std">Standard deviation of the outputs.</param>
/// <param name="Min">Smallest output.</param>
/// <param name="Max">Largest output.</param>
/// <param name="ZeroFraction">Share of exact zeros (dead ReLUs, dropped units).</param>
public readonly record struct ActivationStats(int Index, string Layer, double Mean, double Std, double Min, double Max, double ZeroFraction)
{
    public override string ToString() =>
        $"#{Index} {Layer}: mean {Mean:G4} std {Std:G4} range [{Min:G4}, {Max:G4}] zeros {ZeroFraction:P1}";
}

/// <summary>Size of one parameter's gradient (seed 001 section 13: vanishing and exploding gradients).</summary>
/// <param name="Name">Qualified parameter name ("0.weight").</param>
/// <param name="GradNorm">L2 norm of the gradient.</param>
/// <param name="WeightNorm">L2 norm of the parameter.</param>
public readonly record struct GradientStats(string Name, double GradNorm, double WeightNorm)
{
    /// <summary>|grad| / |w|: the relative size of a plain SGD step per unit learning rate.</summary>
    public double Ratio => WeightNorm > 0 ? GradNorm / WeightNorm : double.PositiveInfinity;

    public override string ToString() => $"{Name}: |grad| {GradNorm:G4} |w| {WeightNorm:G4} ratio {Ratio:G4}";
}

/// <summary>Per-layer activation statistics and per-parameter gradient norms, for printing every step or epoch.</summary>
public static unsafe class LayerStatistics
{
    /// <summary>Runs <paramref name="model"/> layer by layer on <paramref name="x"/> and summarises every layer's output.</summary>
    public static IReadOnlyList<ActivationStats> Activations(Sequential model, Tensor x, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        var result = new List<ActivationStats>(model.Layers.Count);
        var h = x;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            h = model.Layers[i].Forward(h, training);
            result.Add(Summarise(i, model.Layers[i].Name, h.AsSpan()));
        }
        return result;
    }

    /// <summary>The gradient and weight norms of every parameter (after a backward pass), summed natively in double.</summary>
    public static IReadOnlyList<GradientStats> Gradients(Module model, Context? ctx = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var c = ctx ?? model.Context;
        var result = new List<GradientStats>();
        foreach (var p in model.Parameters())
        {
            double g, w;
            c.Check(Native.hpc_sum_squares(c.Ptr, p.Grad.Length, p.Grad.Data, &g));
            c.Check(Native.hpc_sum_squares(c.Ptr, p.Value.Length, p.Value.Data, &w));
            result.Add(new GradientStats(p.Name, Math.Sqrt(g), Math.Sqrt(w)));
        }
        return result;
    }

    private static ActivationStats Summarise(int index, string name, ReadOnlySpan<float> v)
    {
        if (v.Length == 0) return new ActivationStats(index, name, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double sum = 0, sq = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        long zeros = 0;
        foreach (float f in v)
        {
            sum += f;
            sq += (double)f * f;
            if (f < min) min = f;
            if (f > max) max = f;
            if (f == 0) zeros++;
        }
        double mean = sum / v.Length;
        double var = Math.Max(sq / v.Length - mean * mean, 0);
        return new ActivationStats(index, name, mean, Math.Sqrt(var), min, max, (double)zeros / v.Length);
    }
}
