namespace Hpc.Nn;

/// <summary>
/// Finite-difference gradient checking by central differences, (f(x + h) - f(x - h)) / 2h, with
/// the scalar objective accumulated in double. Used by the tests of every layer and loss, and
/// available to users who write their own modules.
/// </summary>
public static unsafe class GradientCheck
{
    /// <summary>
    /// Compares <paramref name="analytic"/> with the numeric gradient of <paramref name="f"/> with
    /// respect to every element of <paramref name="x"/>; <paramref name="f"/> must read x (it is
    /// perturbed in place and restored). Element i passes when
    /// |analytic - numeric| &lt;= atol + rtol * max(|analytic|, |numeric|).
    /// </summary>
    public static GradientCheckResult Compare(string name, Func<double> f, Tensor x, ReadOnlySpan<float> analytic,
        double h = 1e-3, double atol = 1e-4, double rtol = 1e-2)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        if (analytic.Length != x.Length)
            throw new ArgumentException($"{name}: {analytic.Length} analytic values for {x.Length} inputs", nameof(analytic));
        if (!(h > 0) || !double.IsFinite(h)) throw new ArgumentOutOfRangeException(nameof(h), h, "step must be finite and > 0");
        float* p = x.Data;
        double maxAbs = 0, maxRel = 0, worstScore = -1, worstA = 0, worstN = 0;
        int worst = -1;
        bool passed = true;
        for (int i = 0; i < x.Length; i++)
        {
            float saved = p[i];
            // The step actually taken in float, so the quotient uses the true distance.
            float plus = (float)(saved + h), minus = (float)(saved - h);
            p[i] = plus;
            double fPlus = f();
            p[i] = minus;
            double fMinus = f();
            p[i] = saved;
            double numeric = (fPlus - fMinus) / ((double)plus - minus);
            double a = analytic[i];
            double abs = Math.Abs(a - numeric);
            double scale = Math.Max(Math.Abs(a), Math.Abs(numeric));
            double rel = scale > 0 ? abs / scale : 0;
            double allowed = atol + rtol * scale;
            double score = abs / allowed;
            if (!(abs <= allowed)) passed = false;
            maxAbs = Math.Max(maxAbs, abs);
            maxRel = Math.Max(maxRel, rel);
            if (score > worstScore || double.IsNaN(score))
            {
                worstScore = double.IsNaN(score) ? double.PositiveInfinity : score;
                worst = i;
                worstA = a;
                worstN = numeric;
            }
        }
        return new GradientCheckResult(name, (int)x.Length, maxAbs, maxRel, worst, worstA, worstN, passed);
    }

    /// <summary>
    /// Checks a module's input gradient and every parameter gradient at <paramref name="x"/> with the
    /// objective L = sum_i r_i y_i for a fixed random r (seeded), so that dL/dy = r exercises every
    /// output. The module runs in training mode.
    /// </summary>
    public static IReadOnlyList<GradientCheckResult> CheckModule(Module module, Tensor x, ulong seed = 1,
        double h = 1e-3, double atol = 1e-4, double rtol = 1e-2)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(x);
        var y0 = module.Forward(x, training: true);
        using var r = new Tensor(y0.ShapeArray());
        Init.Uniform(r.AsSpan(), 1.0, new Rng(seed));
        var dx = module.Backward(r).ToArray();
        var grads = module.Parameters().Select(p => (p, p.Grad.ToArray())).ToList();

        double Objective()
        {
            var y = module.Forward(x, training: true);
            var ys = y.AsSpan();
            var rs = r.AsSpan();
            double s = 0;
            for (int i = 0; i < ys.Length; i++) s += (double)rs[i] * ys[i];
            return s;
        }

        var results = new List<GradientCheckResult> { Compare("input", Objective, x, dx, h, atol, rtol) };
        foreach (var (p, g) in grads) results.Add(Compare(p.Name, Objective, p.Value, g, h, atol, rtol));
        return results;
    }
}
