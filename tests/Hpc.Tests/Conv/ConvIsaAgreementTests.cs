using Hpc.Nn;
using Hpc.Tests.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Conv;

/// <summary>The C# conv layers give the scalar path's numbers on every ISA path the machine has, and
/// the same bits for 1 and 2 threads.</summary>
public class ConvIsaAgreementTests(ITestOutputHelper output)
{
    private sealed record Run(float[] Y, float[] Dx, float[] Dw, float[] Db);

    private static Run ConvOn(Isa isa, int threads, int c, int k, int hw, int kernel, int stride, int pad, int dilation)
    {
        using var ctx = new Context(isa, threads);
        using var conv = new Conv2d(c, k, kernel, stride, pad, dilation, ctx: ctx);
        conv.ResetParameters(InitScheme.HeUniform, new Rng(5));
        Init.Uniform(conv.Bias!.Value.AsSpan(), 0.3, new Rng(6));
        using var x = Synthetic.RandomTensor(7, 1.0, 3, c, hw, hw + 1);
        var y = conv.Forward(x, training: true).ToArray();
        using var dy = Synthetic.RandomTensor(8, 1.0, conv.Forward(x, training: true).ShapeArray());
        var dx = conv.Backward(dy).ToArray();
        return new Run(y, dx, conv.Weight.Grad.ToArray(), conv.Bias.Grad.ToArray());
    }

    public static TheoryData<Isa> Paths => [.. IsaPaths.Accelerated];

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void ConvMatchesTheScalarPath(Isa isa)
    {
        IsaPaths.RequireSupported(isa);
        var path = isa;
        int[][] shapes = [[1, 32, 28, 5, 1, 2, 1], [7, 5, 13, 3, 2, 1, 2], [6, 9, 11, 1, 1, 0, 1], [3, 4, 9, 4, 3, 2, 1]];
        foreach (var s in shapes)
        {
            var reference = ConvOn(Isa.Scalar, 1, s[0], s[1], s[2], s[3], s[4], s[5], s[6]);
            var got = ConvOn(path, 1, s[0], s[1], s[2], s[3], s[4], s[5], s[6]);
            string what = $"{Context.IsaName(path)} C={s[0]} K={s[1]} H={s[2]} k={s[3]} stride={s[4]} pad={s[5]} dil={s[6]}";
            Close(reference.Y, got.Y, what + " y");
            Close(reference.Dx, got.Dx, what + " dx");
            Close(reference.Dw, got.Dw, what + " dw");
            Close(reference.Db, got.Db, what + " db");
            output.WriteLine(what + ": ok");
        }
    }

    [Fact]
    public void WeightGradientsAreBitIdenticalForOneAndTwoThreads()
    {
        var one = ConvOn(Isa.Auto, 1, 32, 64, 14, 5, 1, 2, 1);
        var two = ConvOn(Isa.Auto, 2, 32, 64, 14, 5, 1, 2, 1);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Dw, two.Dw);
        Assert.Equal(one.Db, two.Db);
        Assert.Equal(one.Dx, two.Dx);
    }

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void LeNetTrainingLossesMatchTheScalarPath(Isa isa)
    {
        IsaPaths.RequireSupported(isa);
        static float[] Losses(Isa isa)
        {
            using var ctx = new Context(isa);
            var data = Synthetic.Blobs(96, 784, 10, seed: 3, noise: 1.0);
            using var net = LeNet.Create(seed: 4, ctx: ctx);
            using var opt = new Sgd(net.Parameters(), lr: 0.02f, momentum: 0.9f, ctx: ctx);
            using var trainer = new Trainer(net, opt, new CrossEntropyLoss(ctx), new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 5 });
            var losses = new List<float>();
            trainer.BatchCompleted += p => losses.Add(p.Loss);
            trainer.Fit(data);
            return [.. losses];
        }
        var reference = Losses(Isa.Scalar);
        var got = Losses(isa);
        double worst = got.Zip(reference, (g, r) => Math.Abs(g - r) / Math.Abs(r)).Max();
        output.WriteLine($"scalar {string.Join(" ", reference)}\n{Context.IsaName(isa)} {string.Join(" ", got)}\nworst relative difference {worst:G3}");
        Assert.Equal(6, got.Length);
        // Six steps of float reordering (GEMM vs direct kernels, summation order) move the loss by a
        // few ulps per step, far below the 1e-3 a wrong kernel would stay within.
        for (int i = 0; i < got.Length; i++)
            Assert.True(Math.Abs(got[i] - reference[i]) <= 2e-5 * Math.Abs(reference[i]), $"step {i + 1}: {got[i]} vs scalar {reference[i]}");
        Assert.True(got[^1] < got[0], $"loss did not fall: {got[0]} -> {got[^1]}");
    }

    [Fact]
    public void CappedWorkspaceGivesTheSameResults()
    {
        static Run With(long? cap, out long used)
        {
            using var conv = new Conv2d(6, 5, 3, stride: 1, padding: 1) { MaxWorkspaceBytes = cap };
            conv.ResetParameters(InitScheme.HeUniform, new Rng(5));
            using var x = Synthetic.RandomTensor(7, 1.0, 2, 6, 11, 9);
            var y = conv.Forward(x, training: true).ToArray();
            using var dy = Synthetic.RandomTensor(8, 1.0, 2, 5, 11, 9);
            var dx = conv.Backward(dy).ToArray();
            used = conv.WorkspaceBytes;
            return new Run(y, dx, conv.Weight.Grad.ToArray(), conv.Bias!.Grad.ToArray());
        }
        var full = With(null, out long fullBytes);
        // 7 output pixels' columns at a time instead of all 99.
        var tiled = With(7L * 6 * 9 * sizeof(float), out long tiledBytes);
        Assert.Equal(6L * 9 * 99 * sizeof(float), fullBytes);
        Assert.Equal(7L * 6 * 9 * sizeof(float), tiledBytes);
        Close(full.Y, tiled.Y, "y");
        Close(full.Dx, tiled.Dx, "dx");
        Close(full.Dw, tiled.Dw, "dw");
        Close(full.Db, tiled.Db, "db");
    }

    private static void Close(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0;
        foreach (float v in expected) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * (1 + scale), $"{what}[{i}]: {actual[i]} vs scalar {expected[i]}");
    }
}
