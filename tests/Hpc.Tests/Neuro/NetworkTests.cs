using Hpc.Nn;
using Hpc.Nn.Neuro;
using Xunit;

namespace Hpc.Tests.Neuro;

/// <summary>The recurrent random network: rate, determinism across threads and paths, bounded monitors, no allocation.</summary>
public class NetworkTests
{
    [Fact]
    public void RandomNetworkFiresAtAboutTwentyFourHertz()
    {
        using var ctx = new Context();
        var sim = new RandomLifNetwork(ctx, 1000, 0.02f, seed: 3);
        sim.Network.Run(0.5, 1e-4);
        Assert.InRange(sim.MeanRate, 20.0, 28.0);
        Assert.InRange(sim.Recurrent.SynapseCount, 18_000, 22_000);
    }

    [SkippableTheory]
    [MemberData(nameof(IsaPaths.Theory), MemberType = typeof(IsaPaths))]
    public void SpikesAreIdenticalForAnyThreadCountAndPath(Isa isa)
    {
        IsaPaths.RequireSupported(isa);
        (float[] times, int[] neurons, float[] v) Run(Isa isa, int threads)
        {
            using var ctx = Context.ForIsa(isa, threads);
            var sim = new RandomLifNetwork(ctx, 70_000, 0.0003f, seed: 5); // two LIF chunks
            sim.Network.Run(0.02, 1e-4);
            return (sim.Spikes.Times.ToArray(), sim.Spikes.Neurons.ToArray(), sim.Population.Potential.ToArray());
        }
        var reference = Run(Isa.Scalar, 1);
        Assert.NotEmpty(reference.neurons);
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var r = Run(isa, threads);
            Assert.Equal(reference.neurons, r.neurons);
            Assert.Equal(reference.times, r.times);
            Assert.Equal(reference.v, r.v);
        }
    }

    [Fact]
    public void MonitorsStayWithinTheirBounds()
    {
        using var ctx = new Context();
        var sim = new RandomLifNetwork(ctx, 500, 0.02f, seed: 2, spikeCapacity: 100);
        var trace = sim.Network.Monitor(new StateMonitor(sim.Population, [0, 7], every: 10, maxSamples: 50));
        sim.Network.Run(0.2, 1e-4);
        Assert.Equal(100, sim.Spikes.Count);
        Assert.True(sim.Spikes.Dropped > 0);
        Assert.Equal(sim.Population.SpikeCounts.Sum(), sim.Spikes.Total);
        Assert.Equal(50, trace.Samples);
        Assert.All(trace.Trace(1), v => Assert.InRange(v, -1f, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StateMonitor(sim.Population, [500]));
    }

    [Fact]
    public void SteadyStateStepsAllocateNothing()
    {
        using var ctx = new Context();
        var sim = new RandomLifNetwork(ctx, 2000, 0.01f, seed: 4);
        sim.Network.Run(0.01, 1e-4); // JIT and first-use allocations
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 20; k++) sim.Network.Run(0.001, 1e-4);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Each Run call sets up its fused-filter plan once (a few small arrays); the steps allocate nothing.
        Assert.True(allocated < 20 * 512, $"{allocated} bytes over 200 steps");
    }
}
