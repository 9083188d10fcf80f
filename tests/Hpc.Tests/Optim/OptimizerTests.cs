using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Optim;

/// <summary>Each optimizer against a double-precision reference of its update rule, on every ISA path,
/// over odd sizes and several steps (state carried), with penalties skipped for biases.</summary>
public class OptimizerTests
{
    private const int Steps = 5;

    private static (Parameter W, Parameter B) MakeParams(int n)
    {
        var w = new Parameter("w", new Tensor(n));
        var b = new Parameter("b", new Tensor(3), weightDecay: false);
        var rng = new Rng((ulong)n);
        Init.Uniform(w.Value.AsSpan(), 1.0, rng);
        Init.Uniform(b.Value.AsSpan(), 1.0, rng);
        return (w, b);
    }

    private static void FillGrads(Parameter p, int step)
    {
        var rng = new Rng((ulong)(1000 + step * 7 + p.Value.Length));
        Init.Uniform(p.Grad.AsSpan(), 2.0, rng);
    }

    /// <summary>Runs <paramref name="make"/>'s optimizer and the reference rule side by side.</summary>
    private static void Compare(Isa isa, Func<IEnumerable<Parameter>, Context, Optimizer> make,
        Action<double[], double[], double[], double[], int, bool> reference, int n)
    {
        using var ctx = IsaPaths.Open(isa);
        var (w, b) = MakeParams(n);
        using var _w = w;
        using var _b = b;
        using var opt = make([w, b], ctx);
        var refW = w.Value.ToArray().Select(v => (double)v).ToArray();
        var refB = b.Value.ToArray().Select(v => (double)v).ToArray();
        var sW = new double[2 * n];
        var sB = new double[2 * 3];
        for (int step = 1; step <= Steps; step++)
        {
            FillGrads(w, step);
            FillGrads(b, step);
            reference(refW, w.Grad.ToArray().Select(v => (double)v).ToArray(), sW, null!, step, true);
            reference(refB, b.Grad.ToArray().Select(v => (double)v).ToArray(), sB, null!, step, false);
            opt.Step();
        }
        IsaPaths.Close(refW.Select(v => (float)v).ToArray(), w.Value.ToArray(), 2e-5, 2e-5, $"{opt.GetType().Name} w");
        IsaPaths.Close(refB.Select(v => (float)v).ToArray(), b.Value.ToArray(), 2e-5, 2e-5, $"{opt.GetType().Name} b");
    }

    public static IEnumerable<object[]> Cases()
    {
        foreach (var isa in IsaPaths.All)
            foreach (int n in new[] { 1, 7, 33, 67 })
                yield return [isa, n];
    }

    const float Lr = 0.05f, Wd = 0.1f, L1 = 0.01f;

    private static double Sign(double v) => v > 0 ? 1 : v < 0 ? -1 : 0;

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void PlainSgdMatchesReference(Isa isa, int n) => Compare(isa,
        (ps, c) => new Sgd(ps, Lr, weightDecay: Wd, l1: L1, ctx: c),
        (w, g, _, _, _, pen) =>
        {
            for (int i = 0; i < w.Length; i++)
                w[i] -= Lr * (g[i] + (pen ? Wd * w[i] + L1 * Sign(w[i]) : 0));
        }, n);

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void ClassicMomentumMatchesReference(Isa isa, int n) => Compare(isa,
        (ps, c) => new Sgd(ps, Lr, 0.9f, MomentumForm.Classic, new Penalties(Wd, L1), c),
        (w, g, s, _, _, pen) =>
        {
            for (int i = 0; i < w.Length; i++)
            {
                double gp = g[i] + (pen ? Wd * w[i] + L1 * Sign(w[i]) : 0);
                s[i] = 0.9 * s[i] + gp;
                w[i] -= Lr * s[i];
            }
        }, n);

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void ExponentialAverageMomentumMatchesReference(Isa isa, int n) => Compare(isa,
        (ps, c) => new Sgd(ps, Lr, 0.8f, MomentumForm.ExponentialAverage, new Penalties(Wd, L1), c),
        (w, g, s, _, _, pen) =>
        {
            for (int i = 0; i < w.Length; i++)
            {
                double gp = g[i] + (pen ? Wd * w[i] + L1 * Sign(w[i]) : 0);
                s[i] = 0.8 * s[i] - (1 - 0.8) * gp;  // V = beta V - (1 - beta) dE/dW
                w[i] += Lr * s[i];                   // descent with V pointing downhill
            }
        }, n);

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void NesterovMatchesReference(Isa isa, int n) => Compare(isa,
        (ps, c) => new Sgd(ps, Lr, 0.9f, MomentumForm.Nesterov, new Penalties(Wd, L1), c),
        (w, g, s, _, _, pen) =>
        {
            for (int i = 0; i < w.Length; i++)
            {
                double gp = g[i] + (pen ? Wd * w[i] + L1 * Sign(w[i]) : 0);
                s[i] = 0.9 * s[i] + gp;
                w[i] -= Lr * (gp + 0.9 * s[i]);
            }
        }, n);

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void RmsPropMatchesReference(Isa isa, int n) => Compare(isa,
        (ps, c) => new RmsProp(ps, Lr, 0.9f, 1e-6f, 0f, new Penalties(Wd, 0), c),
        (w, g, s, _, _, pen) =>
        {
            for (int i = 0; i < w.Length; i++)
            {
                double gp = g[i] + (pen ? Wd * w[i] : 0);
                s[i] = 0.9 * s[i] + 0.1 * gp * gp;
                w[i] -= Lr * gp / (Math.Sqrt(s[i]) + 1e-6);
            }
        }, n);

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void AdamMatchesReference(Isa isa, int n) => Compare(isa,
        (ps, c) => new Adam(ps, Lr, 0.9f, 0.999f, 1e-8f, new Penalties(Wd, L1), c),
        (w, g, s, _, t, pen) =>
        {
            int half = w.Length;
            for (int i = 0; i < w.Length; i++)
            {
                double gp = g[i] + (pen ? Wd * w[i] + L1 * Sign(w[i]) : 0);
                s[i] = 0.9 * s[i] + 0.1 * gp;
                s[half + i] = 0.999 * s[half + i] + 0.001 * gp * gp;
                double mh = s[i] / (1 - Math.Pow(0.9, t)), vh = s[half + i] / (1 - Math.Pow(0.999, t));
                w[i] -= Lr * mh / (Math.Sqrt(vh) + 1e-8);
            }
        }, n);

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void AdamWMatchesReference(Isa isa, int n) => Compare(isa,
        (ps, c) => new AdamW(ps, Lr, 0.9f, 0.999f, 1e-8f, new Penalties(Wd, 0), c),
        (w, g, s, _, t, pen) =>
        {
            int half = w.Length;
            for (int i = 0; i < w.Length; i++)
            {
                if (pen) w[i] *= 1 - Lr * Wd;
                double gp = g[i];
                s[i] = 0.9 * s[i] + 0.1 * gp;
                s[half + i] = 0.999 * s[half + i] + 0.001 * gp * gp;
                double mh = s[i] / (1 - Math.Pow(0.9, t)), vh = s[half + i] / (1 - Math.Pow(0.999, t));
                w[i] -= Lr * mh / (Math.Sqrt(vh) + 1e-8);
            }
        }, n);

    [Fact]
    public void AdamFirstStepMovesEachWeightByAboutLr()
    {
        using var p = new Parameter("w", Tensor.FromArray([1f, -2f, 3f], 3));
        p.Grad.CopyFrom([0.001f, -50f, 3f]);
        using var adam = new Adam([p], lr: 0.01f);
        adam.Step();
        IsaPaths.Close([0.99f, -1.99f, 2.99f], p.Value.ToArray(), 1e-6, 0, "w");
        Assert.Equal(1, adam.StepCount);
    }

    [Fact]
    public void OptimizersMinimiseAQuadratic()
    {
        foreach (var make in new Func<IEnumerable<Parameter>, Optimizer>[]
        {
            ps => new Sgd(ps, 0.05f), ps => new Sgd(ps, 0.05f, 0.9f), ps => new Sgd(ps, 0.5f, 0.9f, MomentumForm.ExponentialAverage),
            ps => new Sgd(ps, 0.05f, 0.9f, nesterov: true),
            ps => new RmsProp(ps, 0.05f), ps => new Adam(ps, 0.05f), ps => new AdamW(ps, 0.05f, penalties: new Penalties(0.01f)),
        })
        {
            using var p = new Parameter("w", Tensor.FromArray([3f, -4f, 1.5f], 3));
            using var opt = make([p]);
            for (int i = 0; i < 500; i++)
            {
                // E = 1/2 sum (w - 1)^2
                var w = p.Value.AsSpan();
                var g = p.Grad.AsSpan();
                for (int j = 0; j < 3; j++) g[j] = w[j] - 1f;
                opt.Step();
            }
            IsaPaths.Close([1f, 1f, 1f], p.Value.ToArray(), 0.05, 0, opt.GetType().Name);
        }
    }

    [Fact]
    public void BadHyperParametersNameTheValue()
    {
        using var p = new Parameter("w", new Tensor(3));
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], lr: 0.01f, beta1: 1.5f));
        Assert.Contains("beta1", e1.Message);
        Assert.Contains("1.5", e1.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp([p], eps: float.NaN));
        Assert.Contains("eps", e2.Message);
        Assert.Contains("NaN", e2.Message);
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => new Penalties(weightDecay: -0.1f));
        Assert.Contains("weightDecay", e3.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Penalties(l1: float.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], lr: -1f, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], lr: float.NaN));
        Assert.Contains("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], 0.1f, 1f, MomentumForm.ExponentialAverage)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], 0.1f, 0.5f, (MomentumForm)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([p], beta2: -0.1f));
    }

    [Fact]
    public void StateIsExposedByNameWithTheStepCount()
    {
        using var w = new Parameter("w", Tensor.FromArray([1f, 2f], 2));
        using var b = new Parameter("b", Tensor.FromArray([0.5f], 1), weightDecay: false);
        w.Grad.CopyFrom([0.5f, -1f]);
        b.Grad.CopyFrom([2f]);
        using var sgd = new Sgd([w, b], 0.1f, 0.9f);
        sgd.Step();
        sgd.Step();
        Assert.Equal(2, sgd.StepCount);
        var v = Assert.Single(sgd.StateOf(0));
        Assert.Equal("velocity", v.Key);
        // v = g, then 0.9 g + g = 1.9 g (the gradient is left unchanged between steps).
        Assert.Equal([0.95f, -1.9f], v.Value.ToArray());
        Assert.Equal(0.9, sgd.HyperParameters.Single(h => h.Key == "momentum").Value, 6);
        Assert.Empty(new Sgd([w], 0.1f).StateOf(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.StateOf(2));

        using var adam = new Adam([w, b], 0.01f);
        adam.Step();
        Assert.Equal(["exp_avg", "exp_avg_sq"], adam.StateOf(1).Select(e => e.Key));
        Assert.Equal(0.1f * 2f, adam.StateOf(1)[0].Value.ToArray()[0], 6);   // m = (1 - beta1) g
        // Resuming at step 1 gives the same second step as an optimizer that took both.
        using var w2 = new Parameter("w", Tensor.FromArray(w.Value.ToArray(), 2));
        using var b2 = new Parameter("b", Tensor.FromArray(b.Value.ToArray(), 1), weightDecay: false);
        w2.Grad.CopyFrom(w.Grad.ToArray());
        b2.Grad.CopyFrom(b.Grad.ToArray());
        using var resumed = new Adam([w2, b2], 0.01f);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) resumed.StateOf(i)[j].Value.CopyFrom(adam.StateOf(i)[j].Value.ToArray());
        resumed.StepCount = adam.StepCount;
        adam.Step();
        resumed.Step();
        Assert.Equal(w.Value.ToArray(), w2.Value.ToArray());
        Assert.Equal(b.Value.ToArray(), b2.Value.ToArray());
        Assert.Equal("adam", adam.Kind);
        Assert.Equal("adamw", new AdamW([w], 0.01f).Kind);
    }
}
