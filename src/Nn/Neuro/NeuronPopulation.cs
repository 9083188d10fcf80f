namespace Hpc.Nn.Neuro;

/// <summary>
/// A population of identical spiking neurons advanced one time step at a time by a native kernel.
/// After each <see cref="Step"/>, <see cref="Spikes"/> lists (ascending) the neurons that spiked
/// during it. State lives in pinned arrays so the kernels read it in place: a step allocates nothing.
/// </summary>
public abstract class NeuronPopulation
{
    private readonly int[] _spikes;

    protected NeuronPopulation(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Size = size;
        _spikes = GC.AllocateArray<int>(size, pinned: true);
        SpikeCounts = GC.AllocateArray<int>(size, pinned: true);
    }

    /// <summary>Number of neurons.</summary>
    public int Size { get; }

    /// <summary>Spikes of every neuron since construction or <see cref="ResetCounts"/>.</summary>
    public int[] SpikeCounts { get; }

    /// <summary>How many neurons spiked in the last step.</summary>
    public int SpikeCount { get; protected set; }

    /// <summary>Indices (ascending) of the neurons that spiked in the last step.</summary>
    public ReadOnlySpan<int> Spikes => _spikes.AsSpan(0, SpikeCount);

    /// <summary>The membrane potential of every neuron (dimensionless for LIF, mV for HH).</summary>
    public abstract float[] Potential { get; }

    /// <summary>The synaptic filter whose output is added to this population's input, if any.</summary>
    public SynapseFilter? Synapses { get; set; }

    /// <summary>Advances every neuron by dt seconds, adding the output of <see cref="Synapses"/> when set.</summary>
    public abstract void Step(Context ctx, float dt);

    /// <summary>True when <see cref="StepAdvancingSynapses"/> can also advance <see cref="Synapses"/>.</summary>
    internal virtual bool CanAdvanceSynapses => false;

    /// <summary>A step that also advances <see cref="Synapses"/> by dt (only when <see cref="CanAdvanceSynapses"/>).</summary>
    internal virtual void StepAdvancingSynapses(Context ctx, float dt) =>
        throw new InvalidOperationException($"{GetType().Name} cannot advance its synapses");

    /// <summary>Zeroes <see cref="SpikeCounts"/>.</summary>
    public void ResetCounts() => Array.Clear(SpikeCounts);

    protected int[] SpikeBuffer => _spikes;

    protected void CheckSynapses()
    {
        if (Synapses is { } s && s.Size != Size)
            throw new ArgumentException($"synapse filter of {s.Size} neurons feeds a population of {Size}");
    }
}
