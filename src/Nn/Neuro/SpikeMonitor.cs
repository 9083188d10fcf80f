namespace Hpc.Nn.Neuro;

/// <summary>
/// Records the spikes of a population as (time, neuron) pairs up to a fixed capacity allocated up
/// front, so recording never allocates during a run and never outgrows its bound: spikes beyond
/// the capacity are counted in <see cref="Dropped"/>, not stored.
/// </summary>
public sealed class SpikeMonitor
{
    private readonly float[] _times;
    private readonly int[] _neurons;

    public SpikeMonitor(NeuronPopulation population, int capacity = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Population = population;
        _times = new float[capacity];
        _neurons = new int[capacity];
    }

    public NeuronPopulation Population { get; }

    /// <summary>Spikes stored.</summary>
    public int Count { get; private set; }

    /// <summary>Spikes seen but not stored because the capacity was reached.</summary>
    public long Dropped { get; private set; }

    /// <summary>Every spike seen, stored or not.</summary>
    public long Total => Count + Dropped;

    /// <summary>Spike times in seconds, in order.</summary>
    public ReadOnlySpan<float> Times => _times.AsSpan(0, Count);

    /// <summary>The neuron of each stored spike.</summary>
    public ReadOnlySpan<int> Neurons => _neurons.AsSpan(0, Count);

    /// <summary>Stores the population's spikes of the step that ended at time t.</summary>
    public void Record(float t)
    {
        ReadOnlySpan<int> spikes = Population.Spikes;
        int room = Math.Min(spikes.Length, _times.Length - Count);
        spikes[..room].CopyTo(_neurons.AsSpan(Count));
        _times.AsSpan(Count, room).Fill(t);
        Count += room;
        Dropped += spikes.Length - room;
    }

    public void Clear()
    {
        Count = 0;
        Dropped = 0;
    }
}
