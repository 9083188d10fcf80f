using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Optim;

public class ScheduleAndClippingTests
{
    [Fact]
    public void ScheduleValues()
    {
        var step = new StepSchedule(0.1f, stepSize: 3, gamma: 0.5f);
        Assert.Equal([0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.025f], Enumerable.Range(0, 7).Select(step.RateAt).ToArray());
        var exp = new ExponentialSchedule(0.2f, 0.9f);
        Assert.Equal(0.2f, exp.RateAt(0));
        Assert.Equal(0.2 * Math.Pow(0.9, 5), exp.RateAt(5), 6);
        var cos = new CosineSchedule(0.1f, periodEpochs: 10, minRate: 0.001f);
        Assert.Equal(0.1f, cos.RateAt(0), 7);
        Assert.Equal((0.1 + 0.001) / 2, cos.RateAt(5), 6);
        Assert.Equal(0.001 + 0.099 * (1 + Math.Cos(Math.PI * 0.3)) / 2, cos.RateAt(3), 6);
        Assert.Equal(0.001f, cos.RateAt(10), 7);
        Assert.Equal(0.001f, cos.RateAt(25), 7);
        for (int e = 1; e < 10; e++) Assert.True(cos.RateAt(e) < cos.RateAt(e - 1));
        Assert.Equal(0.3f, new ConstantSchedule(0.3f).RateAt(99));

        using var p = new Parameter("w", new Tensor(2));
        using var sgd = new Sgd([p], 1f);
        step.Apply(sgd, 4);
        Assert.Equal(0.05f, sgd.LearningRate);

        Assert.IsType<CosineSchedule>(LearningRateSchedule.Create("cosine", 0.1f, 10));
        Assert.IsType<ExponentialSchedule>(LearningRateSchedule.Create("EXP", 0.1f, 10));
        Assert.IsType<StepSchedule>(LearningRateSchedule.Create("step", 0.1f, 10));
        Assert.IsType<ConstantSchedule>(LearningRateSchedule.Create("none", 0.1f, 10));
        var bad = Assert.Throws<ArgumentException>(() => LearningRateSchedule.Create("linear-warmup", 0.1f, 10));
        Assert.Contains("linear-warmup", bad.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(0.1f, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialSchedule(float.NaN, 0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0.1f, 10, minRate: 0.2f));
        Assert.Throws<ArgumentOutOfRangeException>(() => step.RateAt(-1));
    }

    [SkippableTheory]
    [MemberData(nameof(Isas))]
    public void ClipByGlobalNormScalesAllTensorsTogether(Isa isa)
    {
        using var ctx = IsaPaths.Open(isa);
        using var a = new Parameter("a", new Tensor(37));
        using var b = new Parameter("b", new Tensor(5));
        Init.Uniform(a.Grad.AsSpan(), 3, new Rng(1));
        Init.Uniform(b.Grad.AsSpan(), 3, new Rng(2));
        var ga = a.Grad.ToArray();
        var gb = b.Grad.ToArray();
        double norm = Math.Sqrt(ga.Sum(v => (double)v * v) + gb.Sum(v => (double)v * v));
        Assert.Equal(norm, GradientClipping.GlobalNorm([a, b], ctx), 9);
        double before = GradientClipping.ClipByGlobalNorm([a, b], 1f, ctx);
        Assert.Equal(norm, before, 9);
        Assert.Equal(1.0, GradientClipping.GlobalNorm([a, b], ctx), 5);
        double s = 1 / (norm + 1e-6);
        IsaPaths.Close(ga.Select(v => (float)(v * s)).ToArray(), a.Grad.ToArray(), 1e-7, 1e-6, "a");
        IsaPaths.Close(gb.Select(v => (float)(v * s)).ToArray(), b.Grad.ToArray(), 1e-7, 1e-6, "b");

        // Below the limit nothing changes.
        var kept = a.Grad.ToArray();
        GradientClipping.ClipByGlobalNorm([a, b], 10f, ctx);
        Assert.Equal(kept, a.Grad.ToArray());
    }

    [SkippableTheory]
    [MemberData(nameof(Isas))]
    public void ClipByValueClampsAndKeepsNaN(Isa isa)
    {
        using var ctx = IsaPaths.Open(isa);
        using var p = new Parameter("p", new Tensor(9));
        p.Grad.CopyFrom([-3f, -0.5f, 0f, 0.5f, 3f, float.NaN, float.PositiveInfinity, 0.25f, -0.25f]);
        GradientClipping.ClipByValue([p], 0.5f, ctx);
        var g = p.Grad.ToArray();
        Assert.Equal([-0.5f, -0.5f, 0f, 0.5f, 0.5f], g[..5]);
        Assert.True(float.IsNaN(g[5]));
        Assert.Equal([0.5f, 0.25f, -0.25f], g[6..]);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByValue([p], -1f, ctx));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm([p], float.NaN, ctx));
        Assert.Contains("maxNorm", e.Message);
    }

    public static TheoryData<Isa> Isas() => IsaPaths.Theory();
}
