using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Layers;

/// <summary>Finite-difference gradient checks of every new layer and loss, and their agreement with the scalar path.</summary>
public class LayerAndLossGradientTests
{
    private static readonly string[] s_layerNames = ["leaky-relu", "leaky-relu-0.2", "arctan", "prelu", "softmax", "step"];

    public static IEnumerable<object[]> Layers() =>
        from isa in IsaPaths.All from name in s_layerNames select new object[] { isa, name };

    /// <summary>The rows compared with the scalar path: every other path (scalar against itself proves nothing).</summary>
    public static IEnumerable<object[]> AcceleratedLayers() =>
        from isa in IsaPaths.Accelerated from name in s_layerNames select new object[] { isa, name };

    private static Module Make(string name, int cols, Context ctx) => name switch
    {
        "leaky-relu" => new LeakyReLU(ctx: ctx),
        "leaky-relu-0.2" => new LeakyReLU(0.2f, ctx),
        "arctan" => new Arctan(ctx),
        "prelu" => new PReLU(cols, 0.3f, ctx),
        "softmax" => new Softmax(ctx),
        "step" => new Step(ctx),
        _ => throw new ArgumentException(name),
    };

    /// <summary>Inputs kept away from the kinks at 0 (|x| &gt;= 0.05) so central differences are valid there.</summary>
    private static Tensor Input(int rows, int cols, ulong seed)
    {
        var t = new Tensor(rows, cols);
        var rng = new Rng(seed);
        var s = t.AsSpan();
        for (int i = 0; i < s.Length; i++)
        {
            float v = (float)(rng.NextDouble() * 2.5 + 0.05);
            s[i] = rng.NextInt(2) == 0 ? v : -v;
        }
        return t;
    }

    [SkippableTheory]
    [MemberData(nameof(Layers))]
    public void LayerGradientsMatchFiniteDifferences(Isa isa, string name)
    {
        using var ctx = IsaPaths.Open(isa);
        using var layer = Make(name, 13, ctx);
        using var x = Input(5, 13, 3);
        foreach (var r in GradientCheck.CheckModule(layer, x, seed: 4, h: 1e-3))
            Assert.True(r.Passed, $"{name} on {Context.IsaName(ctx.Isa)}: {r}");
    }

    [SkippableTheory]
    [MemberData(nameof(AcceleratedLayers))]
    public void LayersMatchTheScalarPathOnOddSizes(Isa isa, string name)
    {
        foreach (int cols in new[] { 1, 7, 33, 67 })
        {
            using var x = Input(3, cols, (ulong)cols);
            using var dy = Input(3, cols, (ulong)cols + 100);
            float[] Run(Isa path, out float[] dx, out float[]? dp)
            {
                using var ctx = IsaPaths.Open(path);
                using var layer = Make(name, cols, ctx);
                var y = layer.Forward(x, training: true).ToArray();
                dx = layer.Backward(dy).ToArray();
                dp = layer.Parameters().FirstOrDefault()?.Grad.ToArray();
                return y;
            }
            var yRef = Run(Isa.Scalar, out var dxRef, out var dpRef);
            var y = Run(isa, out var dxIsa, out var dpIsa);
            IsaPaths.Close(yRef, y, 1e-6, 2e-6, $"{name} y cols={cols}");
            IsaPaths.Close(dxRef, dxIsa, 1e-6, 2e-6, $"{name} dx cols={cols}");
            if (dpRef is not null) IsaPaths.Close(dpRef, dpIsa!, 1e-5, 1e-5, $"{name} dparam cols={cols}");
        }
    }

    [Fact]
    public void ActivationValues()
    {
        using var x = Tensor.FromArray([-2f, -0f, 0f, 0.5f, 1e30f, -1e30f], 1, 6);
        using var leaky = new LeakyReLU();
        Assert.Equal([-0.02f, 0f, 0f, 0.5f, 1e30f, -1e28f], leaky.Forward(x, false).ToArray());
        using var step = new Step();
        Assert.Equal([0f, 1f, 1f, 1f, 1f, 0f], step.Forward(x, false).ToArray());
        using var atan = new Arctan();
        var a = atan.Forward(x, false).ToArray();
        Assert.Equal(Math.Atan(-2), a[0], 6);
        Assert.Equal(Math.PI / 2, a[4], 6);
        Assert.Equal(-Math.PI / 2, a[5], 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeakyReLU(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PReLU(0));
    }

    public static IEnumerable<object[]> Losses()
    {
        foreach (var isa in IsaPaths.All)
            foreach (var name in new[] { "sse", "l1", "bce" })
                yield return [isa, name];
    }

    private static ElementwiseLoss MakeLoss(string name, Context ctx) => name switch
    {
        "sse" => new SseLoss(ctx),
        "l1" => new L1Loss(ctx),
        "bce" => new BceWithLogitsLoss(ctx),
        _ => throw new ArgumentException(name),
    };

    private static double Reference(string name, float[] p, float[] t)
    {
        double s = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double z = p[i], y = t[i];
            s += name switch
            {
                "sse" => 0.5 * (z - y) * (z - y),
                "l1" => Math.Abs(z - y) / p.Length,
                _ => (Math.Max(z, 0) - z * y + Math.Log(1 + Math.Exp(-Math.Abs(z)))) / p.Length,
            };
        }
        return s;
    }

    [SkippableTheory]
    [MemberData(nameof(Losses))]
    public void LossValuesAndGradients(Isa isa, string name)
    {
        using var ctx = IsaPaths.Open(isa);
        var loss = MakeLoss(name, ctx);
        foreach (int n in new[] { 1, 7, 33, 67 })
        {
            using var pred = Input(1, n, (ulong)n + 7);
            using var target = new Tensor(1, n);
            var rng = new Rng((ulong)n);
            var ts = target.AsSpan();
            for (int i = 0; i < n; i++) ts[i] = name == "bce" ? (float)rng.NextDouble() : pred[0, i] + (float)(rng.NextDouble() - 0.5) * 3;
            float value = loss.Forward(pred, target);
            Assert.Equal(Reference(name, pred.ToArray(), target.ToArray()), value, 5);
            var g = loss.Backward().ToArray();
            var r = GradientCheck.Compare(name, () => loss.Forward(pred, target, computeGradient: false), pred, g,
                // The float loss of a 67-term sum needs a wider step; SSE is quadratic and BCE smooth, L1 has kinks.
                h: name == "l1" ? 1e-3 : 1e-2, atol: 1e-4);
            Assert.True(r.Passed, $"{name} n={n} on {Context.IsaName(ctx.Isa)}: {r}");
        }
    }

    [Fact]
    public void BceIsStableForHugeLogits()
    {
        var bce = new BceWithLogitsLoss();
        using var z = Tensor.FromArray([1e30f, -1e30f, 80f, -80f], 1, 4);
        using var t = Tensor.FromArray([1f, 0f, 0f, 1f], 1, 4);
        float l = bce.Forward(z, t);
        Assert.True(float.IsFinite(l));
        Assert.Equal((0 + 0 + 80 + 80) / 4.0, l, 3);
        Assert.Equal([0f, 0f, 0.25f, -0.25f], bce.Backward().ToArray());
    }

    [Fact]
    public void MismatchedShapesAreTypedErrors()
    {
        using var a = new Tensor(2, 3);
        using var b = new Tensor(3, 3);
        var e = Assert.Throws<ArgumentException>(() => new SseLoss().Forward(a, b));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[3, 3]", e.Message);
        using var prelu = new PReLU(4);
        var e2 = Assert.Throws<ArgumentException>(() => prelu.Forward(a, true));
        Assert.Contains("4", e2.Message);
        using var sm = new Softmax();
        sm.Forward(a, true);
        Assert.Throws<ArgumentException>(() => sm.Backward(b));
        Assert.Throws<InvalidOperationException>(() => new L1Loss().Backward());
    }
}
