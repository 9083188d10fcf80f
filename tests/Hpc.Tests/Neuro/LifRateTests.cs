using Hpc.Nn;
using Hpc.Nn.Neuro;
using Xunit;

namespace Hpc.Tests.Neuro;

/// <summary>LIF firing against the seed's closed form G(v_in), and the order of Euler's method.</summary>
public class LifRateTests
{
    private const double TauRef = 0.002, TauM = 0.02;

    [Theory]
    // The seed's typical cortical constants: G(2) = 63.04 Hz, G(5) = 154.73 Hz; G = 0 at or below threshold.
    [InlineData(2.0, 63.04)]
    [InlineData(5.0, 154.73)]
    [InlineData(1.0, 0.0)]
    [InlineData(0.5, 0.0)]
    public void ClosedFormMatchesTheSeed(double vIn, double hz) =>
        Assert.Equal(hz, LifPopulation.RateOf(vIn, TauRef, TauM), 2);

    /// <summary>Exact integration: each interval is t_isi rounded up to whole steps of dt = 0.01 ms
    /// (the threshold is tested at step ends), so 1 / rate lies in [t_isi - tiny, t_isi + dt].</summary>
    [Theory]
    [InlineData(1.2)]
    [InlineData(2.0)]
    [InlineData(5.0)]
    public void ExactIntegrationIsWithinOneStepOfTheClosedForm(double vIn)
    {
        const double dt = 1e-5;
        double isi = MeasuredInterval(vIn, dt, Integrator.Exact, 0.5);
        double want = 1.0 / LifPopulation.RateOf(vIn, TauRef, TauM);
        Assert.InRange(isi, want - 1e-7, want + dt + 1e-7);
    }

    /// <summary>Euler's interval error shrinks in proportion to dt (first order): halving dt halves it.
    /// dt values are chosen so the interval quantisation is small against Euler's own error.</summary>
    [Fact]
    public void EulerErrorShrinksLinearlyWithDt()
    {
        double want = 1.0 / LifPopulation.RateOf(2.0, TauRef, TauM);
        double[] dts = [4e-4, 2e-4, 1e-4];
        var errors = dts.Select(dt => Math.Abs(MeasuredInterval(2.0, dt, Integrator.Euler, 2.0) - want)).ToArray();
        for (int k = 1; k < errors.Length; k++)
        {
            double ratio = errors[k - 1] / errors[k];
            Assert.InRange(ratio, 1.6, 2.4);
        }
        Assert.True(errors[^1] > 1e-5, $"Euler at dt = 0.1 ms should be visibly off ({errors[^1]:E2} s)");
    }

    /// <summary>Mean interspike interval over the run of one neuron at constant input, from its spike times.</summary>
    private static double MeasuredInterval(double vIn, double dt, Integrator integrator, double seconds)
    {
        using var ctx = new Context();
        var pop = new LifPopulation(1, (float)TauM, (float)TauRef, integrator);
        pop.Drive[0] = (float)vIn;
        var net = new Network(ctx);
        net.Add(pop);
        var spikes = net.Monitor(new SpikeMonitor(pop, 100_000));
        net.Run(seconds, dt);
        Assert.True(spikes.Count >= 3, $"{spikes.Count} spikes");
        // Times of spikes in steps, exact in integers: the interval in whole steps.
        long first = (long)Math.Round(spikes.Times[0] / dt), last = (long)Math.Round(spikes.Times[^1] / dt);
        return (last - first) * dt / (spikes.Count - 1);
    }

    [Fact]
    public void SubthresholdInputNeverFires()
    {
        using var ctx = new Context();
        var pop = new LifPopulation(3);
        pop.Drive.AsSpan().Fill(0.99f);
        var net = new Network(ctx);
        net.Add(pop);
        net.Run(1.0, 1e-4);
        Assert.All(pop.SpikeCounts, c => Assert.Equal(0, c));
        Assert.All(pop.Potential, v => Assert.InRange(v, 0.98f, 0.99f));
    }
}
