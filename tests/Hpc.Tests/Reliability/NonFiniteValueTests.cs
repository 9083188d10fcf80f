using Hpc.Nn;
using Hpc.Tests.Nn;
using Xunit;

namespace Hpc.Tests.Reliability;

/// <summary>TrainerOptions.CheckFiniteValues: a NaN or infinity in a step's input, gradients or
/// weights stops the run at that step, naming the layer and the tensor.</summary>
public class NonFiniteValueTests
{
    private static (Sequential Net, Sgd Opt) Mlp(float lr = 0.05f, params Module[] extra)
    {
        var net = Models.Mlp([20, 16, 4], "relu", "he", seed: 1);
        foreach (var m in extra) net.Add(m);
        return (net, new Sgd(net.Parameters(), lr: lr, momentum: 0.9f));
    }

    private static TrainerOptions Checked => new() { Epochs = 1, BatchSize = 32, Shuffle = false, CheckFiniteValues = true };

    [Fact]
    public void ANaNInTheInputBatchIsNamedBeforeTheForwardPass()
    {
        var data = Synthetic.Blobs(256, 20, 4, seed: 3);
        data.Features[100 * 20 + 7] = float.NaN; // row 100: batch 4 without shuffling
        var (net, opt) = Mlp();
        using var trainer = new Trainer(net, opt, options: Checked);
        var e = Assert.Throws<NonFiniteValueException>(() => trainer.Fit(data));
        Assert.Equal((4L, 1, 4), (e.Step, e.Epoch, e.Batch));
        Assert.Equal("input", e.Layer);
        Assert.Equal("batch", e.Tensor);
        Assert.Contains("at step 4 (epoch 1, batch 4)", e.Message);
        opt.Dispose(); net.Dispose();
    }

    [Fact]
    public void ANonFiniteGradientIsNamedWithItsLayerWhileTheLossIsStillFinite()
    {
        var data = Synthetic.Blobs(256, 20, 4, seed: 3);
        var (net, opt) = Mlp(0.05f, new PoisonedGradient(poisonAtStep: 3)); // net disposes it
        using var trainer = new Trainer(net, opt, options: Checked);
        float lastLoss = float.NaN;
        trainer.BatchCompleted += p => lastLoss = p.Loss;
        var e = Assert.Throws<NonFiniteValueException>(() => trainer.Fit(data));
        Assert.Equal(3L, e.Step);
        Assert.Equal("layer 3 (PoisonedGradient)", e.Layer);
        Assert.Equal("gradient 3.gain", e.Tensor);
        Assert.True(float.IsFinite(lastLoss), "the steps before were finite");
        opt.Dispose(); net.Dispose();
    }

    [Fact]
    public void WithoutTheCheckANaNGradientGoesUnnoticedIntoTheWeights()
    {
        var data = Synthetic.Blobs(256, 20, 4, seed: 3);
        var poison = new PoisonedGradient(poisonAtStep: 3);
        var (net, opt) = Mlp(0.05f, poison);
        using var trainer = new Trainer(net, opt, options: new TrainerOptions { Epochs = 1, BatchSize = 32, Shuffle = false });
        Assert.False(trainer.Options.CheckFiniteValues);
        trainer.Fit(data); // the loss never sees the gain, so nothing stops the run
        Assert.True(float.IsNaN(poison.Gain.Value.AsSpan()[0]));
        opt.Dispose(); net.Dispose();
    }

    [Fact]
    public void AnUpdateThatOverflowsAWeightIsNamedAfterTheStep()
    {
        var data = Synthetic.Blobs(256, 20, 4, seed: 3);
        // a finite gradient of float.MaxValue that lr = 10 turns into an infinite step
        var (net, opt) = Mlp(10f, new PoisonedGradient(poisonAtStep: 1, poison: float.MaxValue));
        using var trainer = new Trainer(net, opt, options: Checked);
        var e = Assert.Throws<NonFiniteValueException>(() => trainer.Fit(data));
        Assert.Equal(1L, e.Step);
        Assert.Equal("layer 3 (PoisonedGradient)", e.Layer);
        Assert.Equal("weight 3.gain", e.Tensor);
        opt.Dispose(); net.Dispose();
    }

    /// <summary>Passes its input through; its one parameter (a gain the forward ignores) gets the
    /// gradient 0, except at one step, where it gets <c>poison</c> (NaN unless told).</summary>
    private sealed class PoisonedGradient : Module
    {
        private readonly long _poisonAtStep;
        private readonly float _poison;
        private long _steps;

        public PoisonedGradient(long poisonAtStep, float poison = float.NaN) : base(null)
        {
            _poisonAtStep = poisonAtStep;
            _poison = poison;
        }

        public Parameter Gain { get; } = new("gain", Tensor.FromArray([1f], 1), weightDecay: false);

        public override Tensor Forward(Tensor x, bool training) => x;

        public override Tensor? Backward(Tensor dy, bool computeInputGradient)
        {
            Gain.Grad.Fill(++_steps == _poisonAtStep ? _poison : 0f);
            return dy;
        }

        public override IEnumerable<Parameter> Parameters() => [Gain];
    }
}
