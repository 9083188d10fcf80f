using System.Globalization;
using Hpc.Nn;
using Hpc.Nn.Neuro;
using Hpc.Tests.EndToEnd;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Neuro;

/// <summary>Hodgkin-Huxley behaviour, and spike counts against Brian2's (tests/golden/neuro).</summary>
public class HodgkinHuxleyTests(ITestOutputHelper output)
{
    private const float Dt = 1e-5f; // 0.01 ms

    private static (HodgkinHuxleyPopulation pop, Network net) Make(Context ctx, params float[] currents)
    {
        var pop = new HodgkinHuxleyPopulation(currents.Length);
        currents.CopyTo(pop.Current, 0);
        var net = new Network(ctx);
        net.Add(pop);
        return (pop, net);
    }

    [Fact]
    public void RestIsStableWithoutInput()
    {
        using var ctx = new Context();
        var (pop, net) = Make(ctx, 0f);
        net.Run(0.1, Dt);
        Assert.Equal(0, pop.SpikeCounts[0]);
        Assert.InRange(pop.Potential[0], -65.1f, -64.9f);
    }

    [Fact]
    public void AShortStrongPulseGivesOneSpike()
    {
        using var ctx = new Context();
        var (pop, net) = Make(ctx, 20f);
        net.Run(0.001, Dt);        // 1 ms at 20 uA/cm^2
        pop.Current[0] = 0f;
        net.Run(0.05, Dt);
        Assert.Equal(1, pop.SpikeCounts[0]);
        Assert.InRange(pop.Potential[0], -75f, -60f);
    }

    [Fact]
    public void RepetitiveFiringAboveThresholdAndNoneWellBelowWithTheRateRising()
    {
        using var ctx = new Context();
        var (pop, net) = Make(ctx, 2f, 10f, 20f, 40f);
        net.Run(0.2, Dt);
        int[] c = pop.SpikeCounts;
        Assert.Equal(0, c[0]);
        Assert.True(c[1] >= 10, $"{c[1]} spikes at 10 uA/cm^2");
        Assert.True(c[1] < c[2] && c[2] < c[3], $"rate does not rise with current: {string.Join(", ", c)}");
    }

    /// <summary>Brian2 2.5.1 (double precision, exponential Euler) against these float kernels: one spike of
    /// slack per current for the onset region, where float rounding can move a threshold crossing.</summary>
    [Fact]
    public void SpikeCountsMatchBrian2()
    {
        string file = Path.Combine(RepoRoot.Find(), "tests", "golden", "neuro", "hh_spike_counts.csv");
        var rows = File.ReadAllLines(file).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.True(rows.Length >= 10);
        float[] currents = rows.Select(r => float.Parse(r[0], CultureInfo.InvariantCulture)).ToArray();
        double duration = double.Parse(rows[0][1], CultureInfo.InvariantCulture) / 1000.0;
        double dt = double.Parse(rows[0][2], CultureInfo.InvariantCulture) / 1000.0;
        using var ctx = new Context();
        var (pop, net) = Make(ctx, currents);
        net.Run(duration, dt);
        int exact = 0;
        for (int k = 0; k < rows.Length; k++)
        {
            int want = int.Parse(rows[k][3], CultureInfo.InvariantCulture);
            output.WriteLine($"I = {currents[k]} uA/cm^2: {pop.SpikeCounts[k]} spikes, Brian2 {want}");
            Assert.InRange(pop.SpikeCounts[k], want - 1, want + 1);
            if (pop.SpikeCounts[k] == want) exact++;
        }
        Assert.True(exact >= rows.Length - 2, $"only {exact} of {rows.Length} counts equal Brian2's");
    }

    [SkippableTheory]
    [InlineData(Isa.Avx2)]
    [InlineData(Isa.Avx512)]
    [InlineData(Isa.OpenBlas)]
    public void ScalarAndSimdPathsGiveTheSameSpikeCounts(Isa isa)
    {
        IsaPaths.RequireSupported(isa);
        int[] Counts(Isa isa)
        {
            using var ctx = Context.ForIsa(isa);
            var (pop, net) = Make(ctx, 0f, 5f, 7f, 15f, 30f);
            net.Run(0.1, Dt);
            return pop.SpikeCounts;
        }
        Assert.Equal(Counts(Isa.Scalar), Counts(isa));
    }
}
