using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Training;

public class RegularisationAndTrainingControlTests
{
    [Fact]
    public void DropoutIsIdentityAtInference()
    {
        using var d = new Dropout(0.5f, seed: 1);
        using var x = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var y = d.Forward(x, training: false);
        Assert.Equal(x.ToArray(), y.ToArray());
        Assert.Null(d.Mask);
        using var dy = Tensor.FromArray([5f, 6f, 7f, 8f], 2, 2);
        Assert.Equal(dy.ToArray(), d.Backward(dy).ToArray());
    }

    [SkippableTheory]
    [InlineData(0.5f)]
    [InlineData(0.2f)]
    [InlineData(0.9f)]
    public void DropoutKeepsAboutRhoAndScalesByOneOverRho(float rate)
    {
        using var d = new Dropout(rate, seed: 7);
        const int n = 200_000;
        using var x = new Tensor(100, n / 100);
        x.Fill(2f);
        var y = d.Forward(x, training: true).ToArray();
        float rho = 1 - rate;
        int kept = y.Count(v => v != 0);
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - 2 / rho) < 1e-5 * (2 / rho), $"value {v}"));
        double fraction = (double)kept / n;
        double sd = Math.Sqrt(rho * (1 - rho) / n);
        Assert.InRange(fraction, rho - 5 * sd, rho + 5 * sd);
        // Inverted dropout preserves the expected activation.
        Assert.InRange(y.Average(v => (double)v), 2 - 10 * sd * 2 / rho, 2 + 10 * sd * 2 / rho);

        // Backward routes the gradient through the same mask and scale.
        using var dy = new Tensor(100, n / 100);
        dy.Fill(1f);
        var dx = d.Backward(dy).ToArray();
        for (int i = 0; i < n; i++) Assert.Equal(y[i] / 2, dx[i], 5);

        // A second training forward draws a new mask; the same seed repeats the sequence.
        var y2 = d.Forward(x, training: true).ToArray();
        Assert.NotEqual(y, y2);
        using var again = new Dropout(rate, seed: 7);
        Assert.Equal(y, again.Forward(x, training: true).ToArray());
    }

    [SkippableTheory]
    [MemberData(nameof(AcceleratedIsas))]
    public void DropoutMasksAreIdenticalOnEveryPath(Isa isa)
    {
        foreach (int n in new[] { 1, 7, 33, 67 })
        {
            using var x = Tensor.FromArray(Enumerable.Range(1, 3 * n).Select(i => (float)i).ToArray(), 3, n);
            using var dy = Tensor.FromArray(Enumerable.Range(1, 3 * n).Select(i => 0.5f * i).ToArray(), 3, n);
            (float[] Y, float[] Dx) Run(Isa path)
            {
                using var ctx = IsaPaths.Open(path);
                using var d = new Dropout(0.3f, seed: 11, ctx);
                d.Forward(x, training: true);                     // advance the stream once
                var y = d.Forward(x, training: true).ToArray();
                return (y, d.Backward(dy).ToArray());
            }
            var reference = Run(Isa.Scalar);
            var other = Run(isa);
            Assert.Equal(reference.Y, other.Y);
            Assert.Equal(reference.Dx, other.Dx);
        }
    }

    public static TheoryData<Isa> Isas() => IsaPaths.Theory();

    public static TheoryData<Isa> AcceleratedIsas() => [.. IsaPaths.Accelerated];

    [SkippableTheory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void DropoutRateOutsideUnitIntervalIsRejected(float rate)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(rate));
        Assert.Contains(rate.ToString(), e.Message);
    }

    [Fact]
    public void EarlyStoppingFollowsAlgorithm1AndRestoresTheBestWeights()
    {
        using var p = new Parameter("w", new Tensor(3));
        var es = new EarlyStopping([p], patience: 2);
        double[] validation = [0.9, 0.5, 0.6, 0.5, 0.7, 0.8, 0.1];
        var stoppedAt = -1;
        for (int i = 0; i < validation.Length; i++)
        {
            p.Value.Fill(i);                       // "new model parameters after most recent weight update"
            if (es.Observe(validation[i])) { stoppedAt = i; break; }
        }
        // 0.5 at i = 1, equal 0.5 at i = 3 counts as best (best >= tmp), then 0.7 and 0.8 exhaust patience 2.
        Assert.Equal(5, stoppedAt);
        Assert.Equal(0.5, es.BestError);
        Assert.Equal(4, es.BestObservation);
        Assert.True(es.ShouldStop);
        Assert.True(es.RestoreBest());
        Assert.Equal([3f, 3f, 3f], p.Value.ToArray());

        var nan = new EarlyStopping([p], patience: 1);
        Assert.True(nan.Observe(double.NaN));
        Assert.False(nan.RestoreBest());
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping([p], 0));
    }

    [Fact]
    public void EarlyStoppingEndsRealTrainingAtTheBestValidationLoss()
    {
        // A 1-D regression that overfits: few noisy training points, a large net, SSE validation.
        var rng = new Rng(3);
        float[] Make(int n, out float[] t)
        {
            var x = new float[n];
            t = new float[n];
            for (int i = 0; i < n; i++) { x[i] = (float)(rng.NextDouble() * 2 - 1); t[i] = MathF.Sin(3 * x[i]) + (float)(0.3 * rng.NextGaussian()); }
            return x;
        }
        using var xt = Tensor.FromArray(Make(12, out var tt), 12, 1);
        using var yt = Tensor.FromArray(tt, 12, 1);
        using var xv = Tensor.FromArray(Make(200, out var tv), 200, 1);
        using var yv = Tensor.FromArray(tv, 200, 1);
        using var net = new Sequential(new Linear(1, 64), new Tanh(), new Linear(64, 64), new Tanh(), new Linear(64, 1));
        net.ResetParameters(InitScheme.XavierNormal, new Rng(5));
        using var opt = new Adam(net.Parameters(), 0.01f);
        var loss = new SseLoss();
        var es = new EarlyStopping(net.Parameters(), patience: 50);
        int epoch = 0;
        var history = new List<double>();
        for (; epoch < 5000; epoch++)
        {
            loss.Forward(net.Forward(xt, true), yt);
            net.Backward(loss.Backward(), false);
            opt.Step();
            double val = loss.Forward(net.Forward(xv, false), yv, computeGradient: false);
            history.Add(val);
            if (es.Observe(val)) break;
        }
        Assert.True(es.ShouldStop, "validation loss kept improving: no early stop");
        es.RestoreBest();
        double restored = loss.Forward(net.Forward(xv, false), yv, computeGradient: false);
        Assert.Equal(history.Min(), restored, 4);
        Assert.True(history[^1] > restored);
    }

    [Fact]
    public void ValidationSplitIsSeededAndDisjoint()
    {
        var x = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();
        var y = Enumerable.Range(0, 100).Select(i => i % 3).ToArray();
        var data = new Dataset(x, y, 1, 3);
        var (train, val) = ValidationSplit.Split(data, 0.2, seed: 4);
        Assert.Equal(80, train.Count);
        Assert.Equal(20, val.Count);
        var all = train.Features.Concat(val.Features).OrderBy(v => v).ToArray();
        Assert.Equal(x, all);
        for (int i = 0; i < val.Count; i++) Assert.Equal((int)val.Features[i] % 3, val.Labels[i]);
        var (_, again) = ValidationSplit.Split(data, 0.2, seed: 4);
        Assert.Equal(val.Features, again.Features);
        var (_, other) = ValidationSplit.Split(data, 0.2, seed: 5);
        Assert.NotEqual(val.Features, other.Features);
        Assert.Throws<ArgumentOutOfRangeException>(() => ValidationSplit.Split(data, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ValidationSplit.Split(data, double.NaN));
        Assert.Throws<ArgumentException>(() => ValidationSplit.Split(data, 0.001));
    }

    [Fact]
    public void AugmentationShiftsExactlyAndRotatesAboutTheCentre()
    {
        var img = new float[28 * 28];
        img[10 * 28 + 12] = 1f;
        var outp = new float[28 * 28];
        Augmentation.Transform(img, outp, 28, 28, dx: 2, dy: -3, radians: 0);
        Assert.Equal(1f, outp[7 * 28 + 14]);
        Assert.Equal(1f, outp.Sum());

        // 90 degrees (not a "small" rotation, but exact on the pixel grid) maps the centre to itself.
        var square = new float[5 * 5];
        square[0 * 5 + 2] = 1f;                                  // top middle
        var rotated = new float[25];
        Augmentation.Transform(square, rotated, 5, 5, 0, 0, Math.PI / 2);
        Assert.Equal(1f, rotated.Sum(), 5);
        Assert.Equal(1f, rotated[2 * 5 + 0], 5);                 // counter-clockwise on screen: top -> left
    }

    [Fact]
    public void AugmentationPreservesLabelsAndMassAndIsSeeded()
    {
        var rng = new Rng(1);
        var x = new float[10 * 784];
        // Blobs well inside the frame so shifts of 2 and 10 degrees keep them in view.
        for (int n = 0; n < 10; n++)
            for (int r = 10; r < 18; r++)
                for (int c = 9; c < 19; c++) x[n * 784 + r * 28 + c] = (float)rng.NextDouble();
        var labels = Enumerable.Range(0, 10).ToArray();
        var data = new Dataset(x, labels, 784, 10);
        var a = new Augmentation(seed: 3).ApplyTo(data);
        var b = new Augmentation(seed: 3).ApplyTo(data);
        Assert.Equal(labels, a.Labels);
        Assert.Equal(a.Features, b.Features);
        Assert.NotEqual(x, a.Features);
        for (int n = 0; n < 10; n++)
        {
            double before = x.AsSpan(n * 784, 784).ToArray().Sum(), after = a.Features.AsSpan(n * 784, 784).ToArray().Sum();
            Assert.InRange(after, before * 0.97, before * 1.03);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new Augmentation(maxRotationDegrees: 90));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Augmentation(maxShift: -1));
        Assert.Throws<ArgumentException>(() => new Augmentation().ApplyTo(new Dataset(new float[10], [0, 1], 5, 2)));
    }

    [Fact]
    public void NaNLossStopsTrainingNamingTheStep()
    {
        var x = new float[8 * 4];
        x[5 * 4 + 1] = float.NaN;                       // row 5 lands in the second batch of 4 without shuffling
        var data = new Dataset(x, [0, 1, 0, 1, 0, 1, 0, 1], 4, 2);
        using var net = Models.Mlp([4, 3, 2]);
        using var opt = new Adam(net.Parameters(), 0.01f);
        using var trainer = new Trainer(net, opt, options: new TrainerOptions { Epochs = 1, BatchSize = 4, Shuffle = false });
        var e = Assert.Throws<NonFiniteLossException>(() => trainer.Fit(data));
        Assert.Equal(2, e.Step);
        Assert.Contains("step 2", e.Message);
    }
}
