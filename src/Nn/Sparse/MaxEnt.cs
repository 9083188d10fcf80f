using System.Diagnostics;

namespace Hpc.Nn;

/// <summary>
/// A maximum-entropy (multinomial logistic) classifier over named binary feature functions, in
/// the lecture notes' f(c, d) view: every input feature g conjoined with every class c is a feature
/// f(c, d) = [class = c and g(d)] with its own weight lambda, and
/// P(c | d) = exp(sum_i lambda_i f_i(c, d)) / sum_c' exp(sum_i lambda_i f_i(c', d)).
/// The weights live in a <see cref="SparseLinear"/> (one row per input feature, one column per
/// class), so a document touches only the rows of its features; training is mini-batch
/// <see cref="SparseAdam"/> on the cross-entropy (the negative conditional log-likelihood) with
/// an optional L2 penalty.
/// </summary>
public sealed class MaxEnt<T> : IDisposable
{
    private readonly List<int> _scratch = [];
    private readonly CrossEntropyLoss _loss;

    public MaxEnt(IReadOnlyList<string> classes, IFeaturizer<T> features, bool bias = true, Context? ctx = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(features);
        if (classes.Count < 2) throw new ArgumentException("MaxEnt needs at least two classes", nameof(classes));
        if (classes.Distinct().Count() != classes.Count) throw new ArgumentException("class names repeat", nameof(classes));
        if (features.Count == 0) throw new ArgumentException("MaxEnt needs at least one feature", nameof(features));
        Classes = classes.ToArray();
        Features = features;
        Linear = new SparseLinear(features.Count, classes.Count, bias, ctx);
        _loss = new CrossEntropyLoss(Linear.Context);
    }

    public IReadOnlyList<string> Classes { get; }
    public IFeaturizer<T> Features { get; }
    public SparseLinear Linear { get; }

    /// <summary>The weight lambda of f(c, d) = [class = <paramref name="cls"/> and feature(d)].</summary>
    public float this[string cls, string feature]
    {
        get => Linear.Weight.Value[FeatureIndex(feature), ClassIndex(cls)];
        set => Linear.Weight.Value.AsSpan()[FeatureIndex(feature) * Classes.Count + ClassIndex(cls)] = value;
    }

    public int ClassIndex(string cls)
    {
        for (int i = 0; i < Classes.Count; i++) if (Classes[i] == cls) return i;
        throw new ArgumentException($"no class '{cls}' (classes: {string.Join(", ", Classes)})", nameof(cls));
    }

    private int FeatureIndex(string feature)
    {
        for (int i = 0; i < Features.Count; i++) if (Features.Name(i) == feature) return i;
        throw new ArgumentException($"no feature '{feature}'", nameof(feature));
    }

    /// <summary>The active features of every datum, as CSR rows.</summary>
    public SparseBatch Featurize(IReadOnlyList<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var rows = new int[data.Count][];
        for (int i = 0; i < data.Count; i++)
        {
            _scratch.Clear();
            Features.Extract(data[i], _scratch);
            rows[i] = _scratch.ToArray();
        }
        return SparseBatch.FromRows(rows, Features.Count);
    }

    /// <summary>P(c | datum) for every class.</summary>
    public double[] Probabilities(T datum)
    {
        var x = Featurize([datum]);
        var z = Linear.Forward(x).AsSpan();
        double max = double.NegativeInfinity;
        foreach (var v in z) max = Math.Max(max, v);
        var p = new double[z.Length];
        double sum = 0;
        for (int c = 0; c < p.Length; c++) sum += p[c] = Math.Exp(z[c] - max);
        for (int c = 0; c < p.Length; c++) p[c] /= sum;
        return p;
    }

    /// <summary>
    /// Mini-batch SparseAdam over <paramref name="x"/> for the given number of epochs (a fixed-seed
    /// shuffle each epoch); returns the seconds spent. L2: the mean loss plus l2 / 2 ||W||^2 over the
    /// touched rows, applied lazily as Adam's coupled weight decay.
    /// </summary>
    public double Fit(SparseBatch x, int[] labels, int epochs = 5, int batchSize = 64, float lr = 0.01f, float l2 = 0f, ulong seed = 42,
        Action<int, EvalResult>? afterEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != x.Rows) throw new ArgumentException($"{labels.Length} labels for {x.Rows} rows", nameof(labels));
        foreach (int l in labels)
            if ((uint)l >= (uint)Classes.Count) throw new ArgumentException($"label {l} outside [0, {Classes.Count})", nameof(labels));
        using var adam = new SparseAdam(Linear, lr, weightDecay: l2);
        var order = new int[x.Rows];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var rng = new Rng(seed);
        var batchLabels = new int[batchSize];
        SparseBatch? buffer = null;
        long start = Stopwatch.GetTimestamp();
        double excluded = 0;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            for (int b = 0; b < x.Rows; b += batchSize)
            {
                int count = Math.Min(batchSize, x.Rows - b);
                var rows = order.AsSpan(b, count);
                var batch = x.Gather(rows, ref buffer);
                for (int i = 0; i < count; i++) batchLabels[i] = labels[rows[i]];
                var logits = Linear.Forward(batch);
                _loss.Forward(logits, batchLabels.AsSpan(0, count));
                Linear.Backward(_loss.Backward());
                adam.Step();
            }
            if (afterEpoch is not null)
            {
                long t = Stopwatch.GetTimestamp();
                afterEpoch(epoch, Evaluate(x, labels));
                excluded += Stopwatch.GetElapsedTime(t).TotalSeconds;
            }
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds - excluded;
    }

    /// <summary>Mean log-loss and accuracy over <paramref name="x"/>; <paramref name="predictions"/> (if given) receives the arg-max class of each row.</summary>
    public EvalResult Evaluate(SparseBatch x, int[] labels, int[]? predictions = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        const int chunk = 512;
        var idx = new int[Math.Min(chunk, Math.Max(x.Rows, 1))];
        SparseBatch? buffer = null;
        double lossSum = 0;
        int correct = 0;
        for (int b = 0; b < x.Rows; b += chunk)
        {
            int count = Math.Min(chunk, x.Rows - b);
            for (int i = 0; i < count; i++) idx[i] = b + i;
            var batch = x.Gather(idx.AsSpan(0, count), ref buffer);
            var logits = Linear.Forward(batch);
            lossSum += (double)_loss.Forward(logits, labels.AsSpan(b, count), computeGradient: false) * count;
            for (int i = 0; i < count; i++)
            {
                var row = logits.Row(i);
                int best = 0;
                for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
                if (predictions is not null) predictions[b + i] = best;
                if (best == labels[b + i]) correct++;
            }
        }
        return new EvalResult(lossSum / x.Rows, (double)correct / x.Rows, x.Rows, correct);
    }

    /// <summary>
    /// The features that most favour <paramref name="cls"/>: by the weight of f(cls, d) minus the mean
    /// weight of the same feature for the other classes (what moves the odds of cls).
    /// </summary>
    public IReadOnlyList<(string Feature, float Weight)> TopFeatures(string cls, int count)
    {
        int c = ClassIndex(cls), k = Classes.Count;
        var w = Linear.Weight.Value.AsSpan();
        var scored = new (string, float)[Features.Count];
        for (int f = 0; f < Features.Count; f++)
        {
            float others = 0;
            for (int j = 0; j < k; j++) if (j != c) others += w[f * k + j];
            scored[f] = (Features.Name(f), w[f * k + c] - others / (k - 1));
        }
        return scored.OrderByDescending(s => s.Item2).ThenBy(s => s.Item1, StringComparer.Ordinal).Take(count).ToList();
    }

    public void Dispose() => Linear.Dispose();
}
