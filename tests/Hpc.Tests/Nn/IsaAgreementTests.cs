using Hpc.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Nn;

/// <summary>The same training run on every ISA path the machine offers gives the same losses (within
/// float reordering noise) as the scalar reference.</summary>
public class IsaAgreementTests(ITestOutputHelper output)
{
    private static float[] LossesOn(Isa isa)
    {
        using var ctx = new Context(isa);
        var data = Synthetic.Blobs(256, 33, 5, seed: 9);
        using var net = Models.Mlp([33, 40, 24, 5], "tanh", "xavier-uniform", seed: 10, ctx: ctx);
        using var opt = new Sgd(net.Parameters(), lr: 0.05f, momentum: 0.9f, ctx: ctx);
        using var trainer = new Trainer(net, opt, new CrossEntropyLoss(ctx), new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 11 });
        var losses = new List<float>();
        trainer.BatchCompleted += p => losses.Add(p.Loss);
        trainer.Fit(data);
        return [.. losses];
    }

    public static TheoryData<Isa> Paths => [.. IsaPaths.Accelerated];

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void TrainingLossesMatchTheScalarPath(Isa isa)
    {
        var reference = LossesOn(Isa.Scalar);
        IsaPaths.RequireSupported(isa);
        var path = isa;
        var losses = LossesOn(path);
        output.WriteLine($"{Context.IsaName(path)}: first {losses[0]} last {losses[^1]}; scalar last {reference[^1]}");
        Assert.Equal(16, losses.Length);
        for (int i = 0; i < losses.Length; i++)
            Assert.True(Math.Abs(losses[i] - reference[i]) <= 1e-4 + 1e-4 * Math.Abs(reference[i]),
                $"step {i + 1}: {Context.IsaName(path)} {losses[i]} vs scalar {reference[i]}");
        Assert.True(losses[^1] < losses[0]);
    }

    [Fact]
    public void ContextReportsItsPath()
    {
        using var ctx = new Context(Isa.Scalar);
        Assert.Equal(Isa.Scalar, ctx.Isa);
        Assert.Equal(Isa.Avx512, Context.ParseIsa("AVX512"));
        Assert.Throws<ArgumentException>(() => Context.ParseIsa("sse9"));
        using var auto = new Context();
        Assert.NotEqual(Isa.Auto, auto.Isa);
    }
}
