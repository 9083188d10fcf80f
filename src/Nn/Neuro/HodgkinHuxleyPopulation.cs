using System.Numerics;
using Hpc.Interop;

namespace Hpc.Nn.Neuro;

/// <summary>
/// Hodgkin-Huxley squid-axon neurons (the 1952 constants in the modern convention, v in mV, currents
/// in uA/cm^2) advanced by exponential Euler; a spike is an upward crossing of 0 mV. Starts at rest
/// (-65 mV, gates at equilibrium). Steps take dt in seconds like every population; the model runs in ms.
/// </summary>
public sealed unsafe class HodgkinHuxleyPopulation : NeuronPopulation
{
    private readonly float[] _v, _m, _h, _n, _current, _total;

    public HodgkinHuxleyPopulation(int size) : base(size)
    {
        _v = GC.AllocateArray<float>(size, pinned: true);
        _m = GC.AllocateArray<float>(size, pinned: true);
        _h = GC.AllocateArray<float>(size, pinned: true);
        _n = GC.AllocateArray<float>(size, pinned: true);
        _current = GC.AllocateArray<float>(size, pinned: true);
        _total = GC.AllocateArray<float>(size, pinned: true);
        using var ctx = new Context(Isa.Scalar);
        Rest(ctx);
    }

    /// <summary>Membrane potential in mV.</summary>
    public override float[] Potential => _v;
    /// <summary>Sodium activation gate m.</summary>
    public float[] M => _m;
    /// <summary>Sodium inactivation gate h.</summary>
    public float[] H => _h;
    /// <summary>Potassium activation gate n.</summary>
    public float[] N => _n;
    /// <summary>Injected current per neuron in uA/cm^2.</summary>
    public float[] Current => _current;

    /// <summary>Puts every neuron back at rest.</summary>
    public void Rest(Context ctx)
    {
        fixed (float* v = _v, m = _m, h = _h, n = _n)
            ctx.Check(Native.hpc_hh_rest(ctx.Ptr, Size, v, m, h, n));
    }

    public override void Step(Context ctx, float dt)
    {
        CheckSynapses();
        float[] input = _current;
        if (Synapses is { } syn)
        {
            AddInto(_current, syn.Output, _total);
            input = _total;
        }
        long count;
        fixed (float* v = _v, m = _m, h = _h, n = _n, i = input)
        fixed (int* spikes = SpikeBuffer, counts = SpikeCounts)
        {
            ctx.Check(Native.hpc_hh_step(ctx.Ptr, Size, dt * 1000f, i, v, m, h, n, spikes, &count, counts));
        }
        SpikeCount = (int)count;
    }

    private static void AddInto(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> sum)
    {
        int i = 0, w = Vector<float>.Count;
        for (; i + w <= a.Length; i += w) (new Vector<float>(a[i..]) + new Vector<float>(b[i..])).CopyTo(sum[i..]);
        for (; i < a.Length; i++) sum[i] = a[i] + b[i];
    }
}
