using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Training;

public class FactoryAndDiagnosticsTests
{
    [Fact]
    public void ActivationsByName()
    {
        // Each name's layer computes its own function (the formulas written out here, independently).
        var expected = new Dictionary<string, Func<double, double>>
        {
            ["identity"] = z => z,
            ["relu"] = z => Math.Max(0, z),
            ["sigmoid"] = z => 1 / (1 + Math.Exp(-z)),
            ["tanh"] = Math.Tanh,
            ["arctan"] = Math.Atan,
            ["leaky-relu"] = z => z > 0 ? z : 0.01 * z,
            ["prelu"] = z => z > 0 ? z : 0.25 * z,
            ["step"] = z => z >= 0 ? 1 : 0,
        };
        Assert.Equal(expected.Keys.Order(), ActivationLayers.Names.Order());
        float[] input = [-1f, 0.5f, 2f, -0.25f];
        foreach (var name in ActivationLayers.Names)
        {
            using var layer = ActivationLayers.Create(name, 4);
            using var x = Tensor.FromArray(input, 1, 4);
            IsaPaths.Close(input.Select(z => (float)expected[name](z)).ToArray(), layer.Forward(x, false).ToArray(), 1e-6, 1e-6, name);
        }
        Assert.IsType<LeakyReLU>(ActivationLayers.Create("Leaky_ReLU", 3));
        Assert.IsType<Sigmoid>(ActivationLayers.Create("logistic", 3));
        Assert.IsType<PReLU>(ActivationLayers.Create("prelu", 3));
        var e = Assert.Throws<ArgumentException>(() => ActivationLayers.Create("swish", 3));
        Assert.Contains("'swish'", e.Message);
        Assert.Contains("leaky-relu", e.Message);
    }

    [Fact]
    public void OptimizersByName()
    {
        using var p = new Parameter("w", new Tensor(3));
        void IsSgd(Optimizer o, float momentum, MomentumForm form)
        {
            var sgd = Assert.IsType<Sgd>(o);
            Assert.Equal(momentum, sgd.Momentum);
            Assert.Equal(form, sgd.Form);
        }
        IsSgd(Optimizers.Create("sgd", [p], 0.1f), 0f, MomentumForm.Classic);
        IsSgd(Optimizers.Create("sgd", [p], 0.1f, 0.5f), 0.5f, MomentumForm.Classic);
        IsSgd(Optimizers.Create("momentum", [p], 0.1f), 0.9f, MomentumForm.Classic);
        IsSgd(Optimizers.Create("ema-momentum", [p], 0.1f, 0.8f), 0.8f, MomentumForm.ExponentialAverage);
        IsSgd(Optimizers.Create("convex_momentum", [p], 0.1f), 0.9f, MomentumForm.ExponentialAverage);
        IsSgd(Optimizers.Create("NESTEROV", [p], 0.1f), 0.9f, MomentumForm.Nesterov);
        Assert.Equal(0.5f, Assert.IsType<RmsProp>(Optimizers.Create("rmsprop", [p], 0.1f, 0.5f)).Momentum);
        Assert.IsType<RmsProp>(Optimizers.Create("rmsprop", [p], 0.1f));
        Assert.IsType<Adam>(Optimizers.Create("adam", [p], 0.1f));
        Assert.IsType<AdamW>(Optimizers.Create("adamw", [p], 0.1f, penalties: new Penalties(0.01f)));
        var e = Assert.Throws<ArgumentException>(() => Optimizers.Create("adagrad", [p], 0.1f));
        Assert.Contains("'adagrad'", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Optimizers.Create("adam", [p], float.NaN));
    }

    [Fact]
    public void NetworksBuildEveryActivationInitAndDropout()
    {
        foreach (var act in ActivationLayers.Names)
            foreach (var init in Models.InitNames)
            {
                using var net = Models.Mlp([5, 4, 3, 2], act, init, dropout: 0.2f, seed: 1);
                Assert.Equal(3, net.Layers.OfType<Linear>().Count());
                Assert.Equal(2, net.Layers.OfType<Dropout>().Count());
                using var x = Tensor.FromArray(Enumerable.Range(0, 10).Select(i => i * 0.1f).ToArray(), 2, 5);
                // At inference dropout is the identity: the same output as the network without it.
                using var plain = Models.Mlp([5, 4, 3, 2], act, init, seed: 1);
                Assert.Equal(plain.Forward(x, false).ToArray(), net.Forward(x, false).ToArray());
            }
        using var a = Models.Mlp([5, 4, 2], "relu", "normal", seed: 3);
        using var b = Models.Mlp([5, 4, 2], "relu", "normal", seed: 3);
        Assert.Equal(((Linear)a.Layers[0]).Weight.Value.ToArray(), ((Linear)b.Layers[0]).Weight.Value.ToArray());
        Assert.Throws<ArgumentException>(() => Models.Mlp([5, 2], "relu", "orthogonal"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Models.Mlp([5, 4, 2], "relu", dropout: 1f));
        Assert.Throws<ArgumentException>(() => Models.Mlp([5, 4, 2], "gelu"));
    }

    [Fact]
    public void NormalInitHasTheRequestedSpread()
    {
        using var net = Models.Mlp([400, 300, 2], "relu", "normal", seed: 9, scale: 0.01f);
        var w = ((Linear)net.Layers[0]).Weight.Value.ToArray();
        double mean = w.Average(v => (double)v), sd = Math.Sqrt(w.Average(v => (double)v * v) - mean * mean);
        Assert.InRange(sd, 0.0099, 0.0101);
        Assert.All(((Linear)net.Layers[0]).Bias!.Value.ToArray(), v => Assert.Equal(0f, v));
        using var positive = Models.Mlp([4, 3, 2], "relu", "he", seed: 1, bias: 0.01f);
        Assert.All(positive.Layers.OfType<Linear>().SelectMany(l => l.Bias!.Value.ToArray()), v => Assert.Equal(0.01f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => Models.Mlp([4, 3, 2], bias: float.NaN));
    }

    [Fact]
    public void ClippedOptimizerClipsBeforeTheInnerStep()
    {
        using var p = new Parameter("w", Tensor.FromArray([0f, 0f], 2));
        p.Grad.CopyFrom([30f, 40f]);                      // norm 50
        using var opt = new ClippedOptimizer(new Sgd([p], 0.1f), maxNorm: 5f);
        opt.Step();
        Assert.Equal(50, opt.LastNorm, 4);
        IsaPaths.Close([-0.3f, -0.4f], p.Value.ToArray(), 1e-6, 1e-5, "w");
        opt.LearningRate = 1f;                            // schedules set the wrapper; the inner follows
        p.Grad.CopyFrom([3f, 0f]);
        opt.Step();
        IsaPaths.Close([-3.3f, -0.4f], p.Value.ToArray(), 1e-6, 1e-5, "w");
        Assert.Throws<ArgumentException>(() => new ClippedOptimizer(new Adam([p])));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClippedOptimizer(new Adam([p]), maxNorm: -1f));
    }

    [Fact]
    public void LayerStatisticsShowVanishingActivationsUnderTinyInit()
    {
        // Seed 002 Figure 23: N(0, 0.01) weights shrink z layer after layer in a linear network.
        using var net = Models.Mlp([100, 100, 100, 100, 100, 10], "identity", "normal", seed: 4, scale: 0.01f);
        using var x = new Tensor(64, 100);
        Init.Normal(x.AsSpan(), 1.0, new Rng(2));
        var stats = LayerStatistics.Activations(net, x);
        Assert.Equal(net.Layers.Count, stats.Count);
        var linear = stats.Where(s => s.Layer.StartsWith("Linear")).ToArray();
        for (int i = 1; i < linear.Length; i++) Assert.True(linear[i].Std < linear[i - 1].Std * 0.2, $"{linear[i - 1]} then {linear[i]}");

        var loss = new CrossEntropyLoss();
        loss.Forward(net.Forward(x, true), Enumerable.Range(0, 64).Select(i => i % 10).ToArray());
        net.Backward(loss.Backward(), false);
        var grads = LayerStatistics.Gradients(net);
        Assert.Equal(net.Parameters().Count(), grads.Count);
        var w0 = grads.Single(g => g.Name == "0.weight");
        var direct = Math.Sqrt(((Linear)net.Layers[0]).Weight.Grad.ToArray().Sum(v => (double)v * v));
        Assert.Equal(direct, w0.GradNorm, 6);
        Assert.True(w0.GradNorm > 0 && w0.WeightNorm > 0);
        Assert.Equal(w0.GradNorm / w0.WeightNorm, w0.Ratio, 9);
    }
}
