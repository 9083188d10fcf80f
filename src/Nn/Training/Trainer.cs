using System.Diagnostics;

namespace Hpc.Nn;

/// <summary>
/// Mini-batch training of a classifier with softmax cross-entropy: shuffles every epoch from a
/// seeded generator, evaluates after each epoch, reports progress through events. Buffers are
/// allocated on first use and reused, so steady-state steps allocate nothing.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly Rng _rng;
    private Tensor? _batch;
    private int[] _labels = [];
    private int[] _order = [];
    private volatile bool _stopRequested;
    private FiniteValueCheck? _finite;

    public Trainer(Module model, Optimizer optimizer, CrossEntropyLoss? loss = null, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        Model = model;
        Optimizer = optimizer;
        Loss = loss ?? new CrossEntropyLoss(model.Context);
        Options = options ?? new TrainerOptions();
        Options.Validate();
        _rng = new Rng(Options.Seed);
    }

    public Module Model { get; }
    public Optimizer Optimizer { get; }
    public CrossEntropyLoss Loss { get; }
    public TrainerOptions Options { get; }

    /// <summary>Training steps taken so far.</summary>
    public long Step { get; private set; }

    /// <summary>Raised at the start of each epoch with (1-based epoch, batches in the epoch).</summary>
    public event Action<int, int>? EpochStarted;

    /// <summary>Raised after every training step.</summary>
    public event Action<BatchProgress>? BatchCompleted;

    /// <summary>Raised after each epoch's evaluation.</summary>
    public event Action<EpochMetrics>? EpochCompleted;

    /// <summary>Ends <see cref="Fit"/> after the current epoch (callable from any thread or an event handler).</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Trains for <see cref="TrainerOptions.Epochs"/> epochs, evaluating on <paramref name="test"/> after each.</summary>
    public TrainingHistory Fit(Dataset train, Dataset? test = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0) throw new ArgumentException("the training set is empty", nameof(train));
        if (test is not null && test.FeatureCount != train.FeatureCount)
            throw new ArgumentException($"test rows have {test.FeatureCount} features, training rows {train.FeatureCount}", nameof(test));
        _stopRequested = false;
        var history = new TrainingHistory();
        int bs = Options.BatchSize;
        int batches = Options.DropLast ? train.Count / bs : (train.Count + bs - 1) / bs;
        if (batches == 0) throw new ArgumentException($"the training set ({train.Count}) is smaller than one batch ({bs}) and DropLast is set", nameof(train));
        if (_order.Length != train.Count) _order = new int[train.Count];

        for (int epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            long epochStart = Stopwatch.GetTimestamp();
            for (int i = 0; i < _order.Length; i++) _order[i] = i;
            if (Options.Shuffle) _rng.Shuffle(_order.AsSpan());
            EpochStarted?.Invoke(epoch, batches);

            double lossSum = 0;
            long correct = 0, seen = 0;
            for (int b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = b * bs, count = Math.Min(bs, train.Count - start);
                var x = Gather(train, _order.AsSpan(start, count));
                float loss = TrainStepCore(x, _labels.AsSpan(0, count), out int ok, epoch, b + 1);
                lossSum += (double)loss * count;
                correct += ok;
                seen += count;
                if (BatchCompleted is { } handler)
                    handler(new BatchProgress(epoch, b + 1, batches, Step, loss, seen / Seconds(epochStart)));
            }
            double trainSeconds = Seconds(epochStart);

            var eval = test is null ? new EvalResult(double.NaN, double.NaN, 0, 0) : Evaluate(test);
            var m = new EpochMetrics(epoch, Options.Epochs, lossSum / seen, (double)correct / seen, eval.Loss, eval.Accuracy,
                seen / trainSeconds, TimeSpan.FromSeconds(trainSeconds), TimeSpan.FromSeconds(Seconds(epochStart)));
            history.Add(m);
            EpochCompleted?.Invoke(m);
            if (_stopRequested)
            {
                history.Stopped = epoch < Options.Epochs;
                break;
            }
        }
        return history;
    }

    /// <summary>
    /// One step on one batch: forward, loss, backward, update. Returns the batch's mean loss and
    /// how many rows the model classified correctly before the update.
    /// </summary>
    public float TrainStep(Tensor x, ReadOnlySpan<int> labels, out int correct) => TrainStepCore(x, labels, out correct, 0, 0);

    /// <summary>Mean loss and accuracy of the model over <paramref name="data"/> (inference mode).</summary>
    public EvalResult Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) return new EvalResult(double.NaN, double.NaN, 0, 0);
        double lossSum = 0;
        int correct = 0;
        ForEachEvalBatch(data, (logits, labels) =>
        {
            lossSum += (double)Loss.Forward(logits, labels, computeGradient: false) * labels.Length;
            correct += CountCorrect(logits, labels);
        });
        return new EvalResult(lossSum / data.Count, (double)correct / data.Count, data.Count, correct);
    }

    /// <summary>The predicted class (arg max of the output) of every row of <paramref name="data"/>.</summary>
    public int[] Predict(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = new int[data.Count];
        int offset = 0;
        ForEachEvalBatch(data, (logits, labels) =>
        {
            for (int r = 0; r < labels.Length; r++) result[offset + r] = ArgMax(logits.Row(r));
            offset += labels.Length;
        });
        return result;
    }

    private delegate void EvalBatch(Tensor logits, ReadOnlySpan<int> labels);

    private void ForEachEvalBatch(Dataset data, EvalBatch body)
    {
        int bs = Options.EvalBatchSize;
        for (int start = 0; start < data.Count; start += bs)
        {
            int count = Math.Min(bs, data.Count - start);
            var x = GatherRange(data, start, count);
            body(Model.Forward(x, training: false), _labels.AsSpan(0, count));
        }
    }

    private float TrainStepCore(Tensor x, ReadOnlySpan<int> labels, out int correct, int epoch, int batch)
    {
        if (Options.CheckFiniteValues) _finite ??= new FiniteValueCheck(Model);
        _finite?.Input(x, Step + 1, epoch, batch);
        var logits = Model.Forward(x, training: true);
        float loss = Loss.Forward(logits, labels);
        Step++;
        if (!float.IsFinite(loss) && Options.StopOnNonFiniteLoss)
            throw new NonFiniteLossException(epoch, batch, Step, loss);
        correct = CountCorrect(logits, labels);
        Model.Backward(Loss.Backward(), computeInputGradient: false);
        _finite?.Gradients(Step, epoch, batch);
        Optimizer.Step();
        _finite?.Weights(Step, epoch, batch);
        return loss;
    }

    private Tensor Gather(Dataset data, ReadOnlySpan<int> rows)
    {
        var x = EnsureBatch(rows.Length, data.FeatureCount);
        for (int r = 0; r < rows.Length; r++)
        {
            data.Row(rows[r]).CopyTo(x.Row(r));
            _labels[r] = data.Labels[rows[r]];
        }
        return x;
    }

    private Tensor GatherRange(Dataset data, int start, int count)
    {
        var x = EnsureBatch(count, data.FeatureCount);
        data.Features.AsSpan(start * data.FeatureCount, count * data.FeatureCount).CopyTo(x.AsSpan());
        data.Labels.AsSpan(start, count).CopyTo(_labels);
        return x;
    }

    private Tensor EnsureBatch(int rows, int features)
    {
        // One buffer sized for the larger of the training and evaluation batches, so alternating
        // between them never reallocates.
        int capacityRows = Math.Max(rows, Math.Max(Options.BatchSize, Options.EvalBatchSize));
        if (_batch is null || (long)rows * features > _batch.Capacity)
        {
            _batch?.Dispose();
            _batch = new Tensor(capacityRows, features);
        }
        if (_labels.Length < capacityRows) _labels = new int[capacityRows];
        _batch.TryReshape(rows, features);
        return _batch;
    }

    private static int CountCorrect(Tensor logits, ReadOnlySpan<int> labels)
    {
        int ok = 0;
        for (int r = 0; r < labels.Length; r++)
            if (ArgMax(logits.Row(r)) == labels[r]) ok++;
        return ok;
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++)
            if (row[i] > row[best]) best = i;
        return best;
    }

    private static double Seconds(long since) => Math.Max(Stopwatch.GetElapsedTime(since).TotalSeconds, 1e-9);

    public void Dispose()
    {
        _batch?.Dispose();
        _batch = null;
    }
}
