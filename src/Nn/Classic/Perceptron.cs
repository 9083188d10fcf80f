namespace Hpc.Nn;

/// <summary>
/// Rosenblatt's perceptron: one binary threshold unit y = step(w . x + b) (1 if &gt;= 0, else 0)
/// trained by the perceptron rule of seed 001 section 7.1: E = t - y, w += rate E x, b += rate E.
/// It converges on linearly separable data (OR, AND) and never reaches zero error on XOR.
/// </summary>
public sealed class Perceptron
{
    private readonly float[] _w;

    public Perceptron(int inputs, float learningRate = 1f)
    {
        if (inputs <= 0) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, $"a perceptron needs >= 1 input, got {inputs}");
        _w = new float[inputs];
        LearningRate = Hyper.Positive(learningRate, nameof(learningRate));
    }

    /// <summary>A perceptron starting from given weights and bias (e.g. the seed's w = [0.6, -0.2], b = -0.1).</summary>
    public Perceptron(ReadOnlySpan<float> weights, float bias, float learningRate = 1f) : this(weights.Length, learningRate)
    {
        foreach (var w in weights)
            if (!float.IsFinite(w)) throw new ArgumentOutOfRangeException(nameof(weights), w, "weights must be finite");
        if (!float.IsFinite(bias)) throw new ArgumentOutOfRangeException(nameof(bias), bias, "bias must be finite");
        weights.CopyTo(_w);
        Bias = bias;
    }

    public int Inputs => _w.Length;
    public float LearningRate { get; }
    public ReadOnlySpan<float> Weights => _w;
    public float Bias { get; private set; }

    /// <summary>The weighted input w . x + b (accumulated in double).</summary>
    public float Net(ReadOnlySpan<float> x)
    {
        CheckInput(x);
        double z = Bias;
        for (int i = 0; i < _w.Length; i++) z += (double)_w[i] * x[i];
        return (float)z;
    }

    /// <summary>The threshold unit's output: 1 if w . x + b &gt;= 0, else 0.</summary>
    public int Output(ReadOnlySpan<float> x) => Net(x) >= 0 ? 1 : 0;

    /// <summary>One application of the rule to one example; returns its error E = t - y (0 = no update).</summary>
    public int Train(ReadOnlySpan<float> x, int target)
    {
        if (target is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(target), target, $"perceptron targets are 0 or 1, got {target}");
        int e = target - Output(x);
        if (e != 0)
        {
            for (int i = 0; i < _w.Length; i++) _w[i] += LearningRate * e * x[i];
            Bias += LearningRate * e;
        }
        return e;
    }

    /// <summary>One pass over the examples (rows of <paramref name="inputs"/>) in order; returns how many were misclassified when visited.</summary>
    public int TrainEpoch(float[][] inputs, int[] targets)
    {
        CheckSet(inputs, targets);
        int errors = 0;
        for (int n = 0; n < inputs.Length; n++)
            if (Train(inputs[n], targets[n]) != 0) errors++;
        return errors;
    }

    /// <summary>Examples the unit currently gets wrong.</summary>
    public int Errors(float[][] inputs, int[] targets)
    {
        CheckSet(inputs, targets);
        int errors = 0;
        for (int n = 0; n < inputs.Length; n++)
            if (Output(inputs[n]) != targets[n]) errors++;
        return errors;
    }

    /// <summary>
    /// Epochs until an epoch makes no mistake (then <see cref="PerceptronFit.Converged"/>), at most
    /// <paramref name="maxEpochs"/>; the result lists the mistakes of every epoch.
    /// </summary>
    public PerceptronFit Fit(float[][] inputs, int[] targets, int maxEpochs = 100)
    {
        if (maxEpochs <= 0) throw new ArgumentOutOfRangeException(nameof(maxEpochs), maxEpochs, $"maxEpochs must be > 0, got {maxEpochs}");
        var history = new List<int>();
        for (int epoch = 0; epoch < maxEpochs; epoch++)
        {
            int errors = TrainEpoch(inputs, targets);
            history.Add(errors);
            if (errors == 0) return new PerceptronFit(true, history);
        }
        return new PerceptronFit(false, history);
    }

    private void CheckInput(ReadOnlySpan<float> x)
    {
        if (x.Length != _w.Length)
            throw new ArgumentException($"perceptron has {_w.Length} inputs, the example has {x.Length}", nameof(x));
    }

    private static void CheckSet(float[][] inputs, int[] targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Length != targets.Length)
            throw new ArgumentException($"{inputs.Length} examples but {targets.Length} targets", nameof(targets));
    }
}

/// <summary>Outcome of <see cref="Perceptron.Fit"/>: whether an epoch was error-free, and the mistakes per epoch.</summary>
public sealed record PerceptronFit(bool Converged, IReadOnlyList<int> ErrorsPerEpoch)
{
    public int Epochs => ErrorsPerEpoch.Count;
}
