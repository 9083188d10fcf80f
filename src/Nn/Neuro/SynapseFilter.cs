using Hpc.Interop;

namespace Hpc.Nn.Neuro;

/// <summary>
/// The post-synaptic current of a population: every incoming spike of weight w is filtered by
/// h(t) = t^n e^(-t / tau_s) / (n! tau_s^(n + 1)) (n = <see cref="Order"/>, 0 or 1), realised as
/// n + 1 first-order stages. Projections add their weights to <see cref="Input"/>; the current
/// a population sees is <see cref="Output"/>. A spike of weight 1 / tau_s produces exactly h(t).
/// </summary>
public sealed unsafe class SynapseFilter
{
    private readonly float[] _s, _x;

    public SynapseFilter(int size, float tauS = 0.005f, int order = 0, Integrator integrator = Integrator.Exact)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (!(tauS > 0) || !float.IsFinite(tauS))
            throw new ArgumentOutOfRangeException(nameof(tauS), tauS, "tau_s must be a positive number of seconds");
        if (order is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(order), order, "the filter order must be 0 or 1");
        if (!Enum.IsDefined(integrator)) throw new ArgumentOutOfRangeException(nameof(integrator), integrator, "unknown integrator");
        Size = size;
        TauS = tauS;
        Order = order;
        Integrator = integrator;
        _s = GC.AllocateArray<float>(size, pinned: true);
        _x = order == 1 ? GC.AllocateArray<float>(size, pinned: true) : _s;
    }

    public int Size { get; }
    public float TauS { get; }
    public int Order { get; }
    public Integrator Integrator { get; }

    /// <summary>The filtered current s per post-synaptic neuron.</summary>
    public float[] Output => _s;

    /// <summary>Where incoming spikes are added: s itself for order 0, the first stage for order 1.</summary>
    public float[] Input => _x;

    /// <summary>Advances the filter by dt seconds.</summary>
    public void Step(Context ctx, float dt)
    {
        fixed (float* s = _s, x = _x)
            ctx.Check(Native.hpc_psc_step(ctx.Ptr, (hpc_integrator)(int)Integrator, Order, Size, dt, TauS,
                Order == 1 ? x : null, s));
    }

    /// <summary>Zeroes every stage.</summary>
    public void Clear()
    {
        Array.Clear(_s);
        if (Order == 1) Array.Clear(_x);
    }
}
