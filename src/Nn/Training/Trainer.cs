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
    private int _resumedEpochs;
    private double _bestLoss = double.PositiveInfinity;
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

    /// <summary>The last completed epoch (1-based; 0 before any, or the saved one after <see cref="Resume"/>).</summary>
    public int Epoch { get; private set; }

    /// <summary>Key/value pairs added to every checkpoint this trainer writes (data set, command line, ...).</summary>
    public IDictionary<string, string> CheckpointMetadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Saves the model, the optimizer state, the epoch, the step count and the shuffling and
    /// dropout generator states to <paramref name="path"/> (atomically), so that <see cref="Resume"/>
    /// continues exactly where this run is. The model must be a <see cref="Sequential"/>.
    /// </summary>
    public void SaveCheckpoint(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = Model as Sequential ?? throw new NotSupportedException($"only a Sequential model can be saved, not {Model.Name}");
        var meta = new Dictionary<string, string>(CheckpointMetadata, StringComparer.Ordinal)
        {
            ["epoch"] = Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (metadata is not null)
            foreach (var (k, v) in metadata) meta[k] = v;
        Checkpoint.Save(path, model, Optimizer, meta,
        [
            new("epoch", [(ulong)Epoch]),
            new("step", [(ulong)Step]),
            new("rng.shuffle", _rng.GetState()),
        ]);
    }

    /// <summary>
    /// Continues a run saved by <see cref="SaveCheckpoint"/> (or by <see cref="TrainerOptions.CheckpointPath"/>):
    /// restores the weights, the optimizer state, the step count and the generator states, and makes the
    /// next <see cref="Fit"/> run epochs Epoch + 1 .. <see cref="TrainerOptions.Epochs"/>. With the same
    /// data, options, ISA path and thread count, 5 epochs + resume + 5 epochs give the weights of 10
    /// epochs bit for bit. The checkpoint's architecture must equal this trainer's model's.
    /// </summary>
    public Checkpoint Resume(string path)
    {
        var model = Model as Sequential ?? throw new NotSupportedException($"only a Sequential model can be resumed, not {Model.Name}");
        var saved = Checkpoint.Read(path);
        string mine = ModelSpec.FromModel(model).ToString();
        if (saved.Spec.ToString() != mine)
            throw new CheckpointException(path, "architecture section", 0,
                $"the checkpoint's model differs from the trainer's:\n{saved.Spec}vs\n{mine}");
        var epoch = saved.StateVector("epoch");
        var step = saved.StateVector("step");
        var rng = saved.StateVector("rng.shuffle");
        if (epoch is not [var e] || step is not [var s] || rng is not { Length: 4 })
            throw new CheckpointException(path, "training-state section", 0, "holds no trainer state (epoch, step, shuffling generator): it was saved by Save, not by a Trainer");
        saved.RestoreOptimizer(Optimizer);
        saved.LoadWeightsInto(model);
        _rng.SetState(rng);
        Step = (long)s;
        Epoch = (int)e;
        _resumedEpochs = (int)e;
        return saved;
    }

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

        int first = _resumedEpochs + 1;
        _resumedEpochs = 0;
        for (int epoch = first; epoch <= Options.Epochs; epoch++)
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
            Epoch = epoch;
            EpochCompleted?.Invoke(m);
            SaveAfterEpoch(m, last: epoch == Options.Epochs || _stopRequested);
            if (_stopRequested)
            {
                history.Stopped = epoch < Options.Epochs;
                break;
            }
        }
        return history;
    }

    private void SaveAfterEpoch(EpochMetrics m, bool last)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["train.loss"] = m.Loss.ToString("R", inv),
            ["train.accuracy"] = m.TrainAccuracy.ToString("R", inv),
            ["test.loss"] = m.TestLoss.ToString("R", inv),
            ["test.accuracy"] = m.TestAccuracy.ToString("R", inv),
        };
        if (Options.CheckpointPath is { } path && (last || Options.CheckpointEveryEpoch)) SaveCheckpoint(path, meta);
        if (Options.BestCheckpointPath is { } best && m.TestLoss < _bestLoss)
        {
            _bestLoss = m.TestLoss;
            SaveCheckpoint(best, meta);
        }
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
