namespace Hpc.Nn.Neuro;

/// <summary>
/// Records the membrane potential of chosen neurons every <see cref="Every"/> steps into a buffer
/// of fixed size (samples x neurons), allocated up front; sampling stops when it is full.
/// </summary>
public sealed class StateMonitor
{
    private readonly int[] _neurons;
    private readonly float[] _values;
    private readonly float[] _times;
    private long _steps;

    public StateMonitor(NeuronPopulation population, ReadOnlySpan<int> neurons, int every = 1, int maxSamples = 100_000)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(every);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSamples);
        foreach (int i in neurons)
            if ((uint)i >= (uint)population.Size)
                throw new ArgumentOutOfRangeException(nameof(neurons), i, $"neuron {i} is outside the population of {population.Size}");
        Population = population;
        Every = every;
        _neurons = neurons.ToArray();
        _values = new float[checked(maxSamples * _neurons.Length)];
        _times = new float[maxSamples];
    }

    public NeuronPopulation Population { get; }
    public int Every { get; }
    public ReadOnlySpan<int> Neurons => _neurons;

    /// <summary>Samples taken.</summary>
    public int Samples { get; private set; }

    /// <summary>Sample times in seconds.</summary>
    public ReadOnlySpan<float> Times => _times.AsSpan(0, Samples);

    /// <summary>The potential of the k-th recorded neuron at every sample.</summary>
    public float[] Trace(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, _neurons.Length);
        var trace = new float[Samples];
        for (int s = 0; s < Samples; s++) trace[s] = _values[s * _neurons.Length + k];
        return trace;
    }

    /// <summary>Takes a sample if this step is one of every <see cref="Every"/>, at time t.</summary>
    public void Record(float t)
    {
        if (_steps++ % Every != 0 || Samples == _times.Length) return;
        float[] v = Population.Potential;
        int row = Samples * _neurons.Length;
        for (int k = 0; k < _neurons.Length; k++) _values[row + k] = v[_neurons[k]];
        _times[Samples++] = t;
    }
}
