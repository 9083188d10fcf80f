namespace Hpc.Nn.Neuro;

/// <summary>
/// Populations, their synapse filters and the projections between them, advanced together. Each
/// step: every population integrates (seeing its filter's current) and reports its spikes, every
/// filter decays, every projection adds the new spikes to its filter, every monitor records.
/// A step allocates nothing.
/// </summary>
public sealed class Network
{
    private readonly List<NeuronPopulation> _populations = [];
    private readonly List<SynapseFilter> _filters = [];
    private readonly List<Projection> _projections = [];
    private readonly List<SpikeMonitor> _spikeMonitors = [];
    private readonly List<StateMonitor> _stateMonitors = [];

    public Network(Context? ctx = null) => Context = ctx ?? Context.Default;

    public Context Context { get; }

    /// <summary>Simulated time in seconds.</summary>
    public double Time { get; private set; }

    /// <summary>Steps taken.</summary>
    public long Steps { get; private set; }

    public IReadOnlyList<NeuronPopulation> Populations => _populations;

    /// <summary>Adds a population (and its synapse filter, when it has one).</summary>
    public T Add<T>(T population) where T : NeuronPopulation
    {
        ArgumentNullException.ThrowIfNull(population);
        _populations.Add(population);
        if (population.Synapses is { } f && !_filters.Contains(f)) _filters.Add(f);
        return population;
    }

    /// <summary>Adds a projection; its filter joins the network if it is not in it yet.</summary>
    public Projection Connect(Projection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        if (!_populations.Contains(projection.Pre))
            throw new ArgumentException("the projection's pre-synaptic population is not in this network", nameof(projection));
        _projections.Add(projection);
        if (!_filters.Contains(projection.Post)) _filters.Add(projection.Post);
        return projection;
    }

    public SpikeMonitor Monitor(SpikeMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        _spikeMonitors.Add(monitor);
        return monitor;
    }

    public StateMonitor Monitor(StateMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        _stateMonitors.Add(monitor);
        return monitor;
    }

    /// <summary>Runs round(duration / dt) steps of dt seconds.</summary>
    public void Run(double duration, double dt)
    {
        if (!(dt > 0) || !double.IsFinite(dt)) throw new ArgumentOutOfRangeException(nameof(dt), dt, "dt must be a positive number of seconds");
        if (!(duration >= 0) || !double.IsFinite(duration))
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "the duration must be >= 0 seconds");
        long steps = (long)Math.Round(duration / dt);
        float fdt = (float)dt;
        var ctx = Context;
        // A filter that feeds exactly one population which can advance it in its own pass is
        // advanced there; the others step on their own.
        var fused = new bool[_populations.Count];
        var separate = new List<SynapseFilter>();
        foreach (var f in _filters)
        {
            int owner = -1, feeds = 0;
            for (int i = 0; i < _populations.Count; i++)
                if (ReferenceEquals(_populations[i].Synapses, f)) { feeds++; owner = i; }
            if (feeds == 1 && _populations[owner].CanAdvanceSynapses) fused[owner] = true;
            else separate.Add(f);
        }
        for (long k = 0; k < steps; k++)
        {
            for (int i = 0; i < _populations.Count; i++)
            {
                if (fused[i]) _populations[i].StepAdvancingSynapses(ctx, fdt);
                else _populations[i].Step(ctx, fdt);
            }
            foreach (var f in separate) f.Step(ctx, fdt);
            foreach (var pr in _projections) pr.Propagate(ctx);
            Steps++;
            Time = Steps * dt;
            float t = (float)Time;
            foreach (var m in _spikeMonitors) m.Record(t);
            foreach (var m in _stateMonitors) m.Record(t);
        }
    }
}
