using Hpc.Interop;

namespace Hpc.Nn.Neuro;

/// <summary>
/// The recurrent random LIF network of the benchmarks: tau_m dv/dt = v_in + s - v with constant
/// drive v_in ~ U(0.9, 1.5) and initial v ~ U(0, 1); each pair connected with probability p (self
/// connections allowed), each spike adding w ~ U(-0.05, 0.05) (that is 0.1 (U(0, 1) - 0.5)) to the
/// target's current s, which decays as tau_s ds/dt = -s. Everything random comes from the Philox
/// streams of one seed.
/// </summary>
public sealed unsafe class RandomLifNetwork
{
    public RandomLifNetwork(Context ctx, int neurons, float p, ulong seed = 1, float tauM = 0.02f, float tauRef = 0.002f,
        float tauS = 0.005f, int spikeCapacity = 1 << 22)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        Population = new LifPopulation(neurons, tauM, tauRef, Integrator.Exact);
        Synapses = new SynapseFilter(neurons, tauS, order: 0, Integrator.Exact);
        Population.Synapses = Synapses;
        fixed (float* drive = Population.Drive, v = Population.Potential)
        {
            // Distinct streams of the seed for the drive and the initial potential.
            ctx.Check(Native.hpc_rng_uniform(ctx.Ptr, seed, 0, neurons, 0.9f, 1.5f, drive));
            ctx.Check(Native.hpc_rng_uniform(ctx.Ptr, seed, (ulong)neurons, neurons, 0f, 1f, v));
        }
        Network = new Network(ctx);
        Network.Add(Population);
        Recurrent = Network.Connect(Projection.Random(ctx, Population, Synapses, p, -0.05f, 0.05f, seed + 1));
        Spikes = Network.Monitor(new SpikeMonitor(Population, spikeCapacity));
    }

    public Network Network { get; }
    public LifPopulation Population { get; }
    public SynapseFilter Synapses { get; }
    public Projection Recurrent { get; }
    public SpikeMonitor Spikes { get; }

    /// <summary>Mean firing rate in Hz over the simulated time so far.</summary>
    public double MeanRate => Network.Time > 0 ? Spikes.Total / (Population.Size * Network.Time) : 0.0;
}
