using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Issue4;

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
        using var ctx = Paths.Open(isa);
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
        Paths.Close(refW.Select(v => (float)v).ToArray(), w.Value.ToArray(), 2e-5, 2e-5, $"{opt.GetType().Name} w");
        Paths.Close(refB.Select(v => (float)v).ToArray(), b.Value.ToArray(), 2e-5, 2e-5, $"{opt.GetType().Name} b");
    }

    public static IEnumerable<object[]> Cases()
    {
        foreach (var isa in Paths.All)
            foreach (int n in new[] { 1, 7, 33, 67 })
                yield return [isa, n];
    }

    const float Lr = 0.05f, Wd = 0.1f, L1 = 0.01f;

    private static double Sign(double v) => v > 0 ? 1 : v < 0 ? -1 : 0;

    [Theory]
    [MemberData(nameof(Cases))]
    public void MomentumMatchesReference(Isa isa, int n) => Compare(isa,
        (ps, c) => new Momentum(ps, Lr, 0.9f, new Penalties(Wd, L1), c),
        (w, g, s, _, _, pen) =>
        {
            for (int i = 0; i < w.Length; i++)
            {
                double gp = g[i] + (pen ? Wd * w[i] + L1 * Sign(w[i]) : 0);
                s[i] = 0.9 * s[i] + gp;
                w[i] -= Lr * s[i];
            }
        }, n);

    [Theory]
    [MemberData(nameof(Cases))]
    public void SeedMomentumMatchesSection143(Isa isa, int n) => Compare(isa,
        (ps, c) => new SeedMomentum(ps, Lr, 0.8f, new Penalties(Wd, L1), c),
        (w, g, s, _, _, pen) =>
        {
            for (int i = 0; i < w.Length; i++)
            {
                double gp = g[i] + (pen ? Wd * w[i] + L1 * Sign(w[i]) : 0);
                s[i] = 0.8 * s[i] - (1 - 0.8) * gp;  // V = beta V - (1 - beta) dE/dW
                w[i] += Lr * s[i];                   // descent with V pointing downhill
            }
        }, n);

    [Theory]
    [MemberData(nameof(Cases))]
    public void NesterovMatchesReference(Isa isa, int n) => Compare(isa,
        (ps, c) => new Nesterov(ps, Lr, 0.9f, new Penalties(Wd, L1), c),
        (w, g, s, _, _, pen) =>
        {
            for (int i = 0; i < w.Length; i++)
            {
                double gp = g[i] + (pen ? Wd * w[i] + L1 * Sign(w[i]) : 0);
                s[i] = 0.9 * s[i] + gp;
                w[i] -= Lr * (gp + 0.9 * s[i]);
            }
        }, n);

    [Theory]
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

    [Theory]
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

    [Theory]
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
        Paths.Close([0.99f, -1.99f, 2.99f], p.Value.ToArray(), 1e-6, 0, "w");
        Assert.Equal(1, adam.StepCount);
    }

    [Fact]
    public void OptimizersMinimiseAQuadratic()
    {
        foreach (var make in new Func<IEnumerable<Parameter>, Optimizer>[]
        {
            ps => new Momentum(ps, 0.05f, 0.9f), ps => new SeedMomentum(ps, 0.5f, 0.9f), ps => new Nesterov(ps, 0.05f, 0.9f),
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
            Paths.Close([1f, 1f, 1f], p.Value.ToArray(), 0.05, 0, opt.GetType().Name);
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
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nesterov([p], lr: -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Momentum([p], lr: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeedMomentum([p], 0.1f, beta: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([p], beta2: -0.1f));
    }
}
