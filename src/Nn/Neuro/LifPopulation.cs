using Hpc.Interop;

namespace Hpc.Nn.Neuro;

/// <summary>
/// Leaky integrate-and-fire neurons, dimensionless: tau_m dv/dt = v_in + s - v with threshold 1,
/// reset 0 and a refractory period during which v is held at 0. Constant v_in &gt; 1 fires at
/// <see cref="RateOf"/> (the closed form G(v_in)).
/// </summary>
public sealed unsafe class LifPopulation : NeuronPopulation
{
    private readonly float[] _v, _drive;
    private readonly int[] _refractory;

    /// <param name="size">Neurons.</param>
    /// <param name="tauM">Membrane time constant in seconds (&gt; 0).</param>
    /// <param name="tauRef">Refractory period in seconds (&gt;= 0), rounded to whole steps.</param>
    /// <param name="integrator">Euler's method or exact integration over each step.</param>
    public LifPopulation(int size, float tauM = 0.02f, float tauRef = 0.002f, Integrator integrator = Integrator.Exact)
        : base(size)
    {
        if (!(tauM > 0) || !float.IsFinite(tauM))
            throw new ArgumentOutOfRangeException(nameof(tauM), tauM, "tau_m must be a positive number of seconds");
        if (!(tauRef >= 0) || !float.IsFinite(tauRef))
            throw new ArgumentOutOfRangeException(nameof(tauRef), tauRef, "the refractory period must be >= 0 seconds");
        if (!Enum.IsDefined(integrator)) throw new ArgumentOutOfRangeException(nameof(integrator), integrator, "unknown integrator");
        TauM = tauM;
        TauRef = tauRef;
        Integrator = integrator;
        _v = GC.AllocateArray<float>(size, pinned: true);
        _drive = GC.AllocateArray<float>(size, pinned: true);
        _refractory = GC.AllocateArray<int>(size, pinned: true);
    }

    public float TauM { get; }
    public float TauRef { get; }
    public Integrator Integrator { get; }

    /// <summary>v of every neuron.</summary>
    public override float[] Potential => _v;

    /// <summary>The input v_in of every neuron (constant unless the caller changes it between steps).</summary>
    public float[] Drive => _drive;

    /// <summary>Steps each neuron still holds at reset (0: integrating).</summary>
    public int[] RefractorySteps => _refractory;

    /// <summary>The refractory period in whole steps of dt.</summary>
    public int RefractoryStepsFor(float dt) => (int)Math.Round(TauRef / (double)dt);

    public override void Step(Context ctx, float dt) => Step(ctx, dt, 1f);

    /// <summary>Order-0 synapses can be decayed in the same pass over the population (one read and
    /// write of s per step instead of two); the result equals a separate <see cref="SynapseFilter.Step"/>.</summary>
    internal override bool CanAdvanceSynapses => Synapses is { Order: 0 };

    internal override void StepAdvancingSynapses(Context ctx, float dt)
    {
        var syn = Synapses!;
        float decay = syn.Integrator == Integrator.Euler ? 1f - dt / syn.TauS : (float)Math.Exp(-(double)dt / syn.TauS);
        Step(ctx, dt, decay);
    }

    private void Step(Context ctx, float dt, float synapseDecay)
    {
        CheckSynapses();
        int refractorySteps = dt > 0 ? RefractoryStepsFor(dt) : 0;
        long count;
        fixed (float* v = _v, drive = _drive)
        fixed (int* refr = _refractory, spikes = SpikeBuffer, counts = SpikeCounts)
        fixed (float* s = Synapses?.Output)
        {
            ctx.Check(Native.hpc_lif_step(ctx.Ptr, (hpc_integrator)(int)Integrator, Size, dt, TauM, refractorySteps,
                drive, s, synapseDecay, v, refr, spikes, &count, counts));
        }
        SpikeCount = (int)count;
    }

    /// <summary>The seed's closed-form firing rate for constant input:
    /// G(v_in) = 1 / (tau_ref - tau_m ln(1 - 1 / v_in)) for v_in &gt; 1, else 0 (Hz for times in seconds).</summary>
    public static double RateOf(double vIn, double tauRef, double tauM) =>
        vIn > 1.0 ? 1.0 / (tauRef - tauM * Math.Log(1.0 - 1.0 / vIn)) : 0.0;
}
