namespace Hpc.Nn;

/// <summary>
/// The state and checks shared by the one-unit learners of the seed chapters (<see cref="DeltaRule"/>,
/// <see cref="LogisticNeuron"/>): weights and bias kept in double so the hand-worked seed numbers are
/// reproduced without float rounding, and the net input z = w . x + b. The update rules differ and stay
/// in the subclasses.
/// </summary>
public abstract class SingleNeuron
{
    private protected readonly double[] _w;

    private protected SingleNeuron(int inputs, float learningRate)
    {
        if (inputs <= 0) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, $"a neuron needs >= 1 input, got {inputs}");
        _w = new double[inputs];
        LearningRate = Hyper.Positive(learningRate, nameof(learningRate));
    }

    public float LearningRate { get; }
    public ReadOnlySpan<double> Weights => _w;
    public double Bias { get; private protected set; }

    /// <summary>Sets the starting point (weights, bias).</summary>
    public void SetWeights(ReadOnlySpan<double> weights, double bias)
    {
        if (weights.Length != _w.Length) throw new ArgumentException($"{weights.Length} weights for {_w.Length} inputs", nameof(weights));
        weights.CopyTo(_w);
        Bias = bias;
    }

    /// <summary>The net input z = w . x + b.</summary>
    public double Net(ReadOnlySpan<float> x)
    {
        if (x.Length != _w.Length) throw new ArgumentException($"neuron has {_w.Length} inputs, the example has {x.Length}", nameof(x));
        double z = Bias;
        for (int i = 0; i < _w.Length; i++) z += _w[i] * x[i];
        return z;
    }

    /// <summary>The unit's output for one example.</summary>
    public abstract double Output(ReadOnlySpan<float> x);

    private protected static void Check(float[][] inputs, float[] targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Length != targets.Length) throw new ArgumentException($"{inputs.Length} examples but {targets.Length} targets", nameof(targets));
    }
}
