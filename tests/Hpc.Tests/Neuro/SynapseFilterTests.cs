using Hpc.Nn;
using Hpc.Nn.Neuro;
using Xunit;

namespace Hpc.Tests.Neuro;

/// <summary>The PSC filter h(t) = k t^n e^(-t / tau_s), k = 1 / (n! tau_s^(n+1)), through a projection.</summary>
public class SynapseFilterTests
{
    private const float TauS = 0.005f, Dt = 1e-4f;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ImpulseResponseIsTheKernelAndIntegratesToOne(int order)
    {
        using var ctx = new Context();
        var filter = new SynapseFilter(1, TauS, order, Integrator.Exact);
        filter.Input[0] = 1f / TauS; // a spike of weight 1 / tau_s, as the seed's Algorithm 1 adds it
        double k = order == 0 ? 1.0 / TauS : 1.0 / (TauS * (double)TauS), integral = 0;
        for (int i = 0; i < 3000; i++)
        {
            double t = i * (double)Dt, h = k * Math.Pow(t, order) * Math.Exp(-t / TauS);
            Assert.True(Math.Abs(filter.Output[0] - h) <= 1e-4 * k * TauS + 1e-5 * h, $"step {i}: s = {filter.Output[0]}, h = {h}");
            integral += filter.Output[0] * (double)Dt;
            filter.Step(ctx, Dt);
        }
        // Rectangle sum of the sampled kernel: 1 up to O(dt / tau_s) = 2%.
        Assert.InRange(integral, 0.98, 1.021);
    }

    [Fact]
    public void EulerDecayFollowsAlgorithmOneStepForStep()
    {
        using var ctx = new Context();
        var filter = new SynapseFilter(1, TauS, 0, Integrator.Euler);
        filter.Input[0] = 3f;
        float want = 3f;
        for (int i = 0; i < 200; i++)
        {
            filter.Step(ctx, Dt);
            want *= 1f - Dt / TauS; // s_i = s_(i-1) (1 - dt / tau_s)
            Assert.Equal(want, filter.Output[0]);
        }
    }

    [Fact]
    public void SpikesThroughADenseProjectionAddTheirColumn()
    {
        using var ctx = new Context();
        var pre = new LifPopulation(3);
        pre.Drive.AsSpan().Fill(1000f); // every neuron fires in its first step
        var post = new SynapseFilter(2, TauS);
        // The seed's M x N layout: weights[i, j] from pre j to post i.
        var proj = Projection.Dense(pre, post, new float[,] { { 1f, 2f, 3f }, { -1f, 0.5f, 0f } });
        pre.Step(ctx, Dt);
        Assert.Equal(3, pre.SpikeCount);
        proj.Propagate(ctx);
        Assert.Equal(6f, post.Input[0]);
        Assert.Equal(-0.5f, post.Input[1]);
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        var pre = new LifPopulation(3);
        var post = new SynapseFilter(2);
        var e = Assert.Throws<ArgumentException>(() => Projection.Dense(pre, post, new float[3, 2]));
        Assert.Contains("needs 2 x 3", e.Message);
        Assert.Throws<ArgumentException>(() => Projection.Sparse(pre, post, new long[3], [], []));
        // A target outside the post-synaptic population: the native check names it.
        var bad = Assert.Throws<Hpc.Interop.HpcInvalidArgumentException>(() =>
            Projection.Sparse(pre, post, new long[] { 0, 1, 1, 1 }, [5], [1f]));
        Assert.Contains("target = 5", bad.Message);
        pre.Synapses = new SynapseFilter(4);
        using var ctx = new Context();
        Assert.Throws<ArgumentException>(() => pre.Step(ctx, Dt));
    }

    [Fact]
    public void BadConstantsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SynapseFilter(4, -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SynapseFilter(4, TauS, order: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LifPopulation(4, tauM: 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LifPopulation(4, tauRef: -0.001f));
        using var ctx = new Context();
        var pop = new LifPopulation(4);
        var e = Assert.Throws<Hpc.Interop.HpcInvalidArgumentException>(() => pop.Step(ctx, 0f));
        Assert.Contains("dt = 0", e.Message);
        var filter = new SynapseFilter(4);
        Assert.Throws<Hpc.Interop.HpcInvalidArgumentException>(() => filter.Step(ctx, -1e-4f));
    }
}
