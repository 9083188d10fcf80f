namespace Hpc.Nn;

/// <summary>
/// A trained model ready to answer predictions from any number of threads: the checkpoint is
/// loaded once, its weights are shared read-only by a pool of workers (each a native context, a
/// replica of the network's layers over the shared weights, and its own activation buffers), and a
/// call borrows a worker, runs the forward pass and returns it. After a worker has seen a batch
/// size, calls with that size allocate nothing.
/// </summary>
/// <example><code>
/// using var session = InferenceSession.Load("model.hpc");
/// Span&lt;float&gt; logits = stackalloc float[session.OutputFeatures];
/// session.Predict(image, logits);              // image: 784 floats in [0, 1]
/// int digit = session.PredictClass(image);
/// </code></example>
public sealed class InferenceSession : IDisposable
{
    private readonly Sequential _weights;
    private readonly Context _weightsContext;
    private readonly InferenceOptions _options;
    private readonly int _maxWorkers;
    private readonly Worker[] _idle;
    private readonly List<Worker> _all = [];
    private int _idleCount;
    private bool _disposed;

    private InferenceSession(Sequential weights, Context weightsContext, ModelSpec spec, IReadOnlyDictionary<string, string> metadata, InferenceOptions options)
    {
        options.Validate();
        _weights = weights;
        _weightsContext = weightsContext;
        _options = options;
        Spec = spec;
        Metadata = metadata;
        _maxWorkers = options.MaxConcurrency > 0 ? options.MaxConcurrency : Environment.ProcessorCount;
        _idle = new Worker[_maxWorkers];
    }

    /// <summary>Loads the checkpoint at <paramref name="path"/> (a <see cref="CheckpointException"/> if it is damaged).</summary>
    public static InferenceSession Load(string path, InferenceOptions? options = null)
    {
        options ??= new InferenceOptions();
        options.Validate();
        var ctx = Context.ForIsa(options.Isa == Isa.Auto ? AutoIsa() : options.Isa, 1);
        try
        {
            var checkpoint = Checkpoint.Load(path, ctx);
            return new InferenceSession(checkpoint.Model!, ctx, checkpoint.Spec, checkpoint.Metadata, options);
        }
        catch
        {
            ctx.Dispose();
            throw;
        }
    }

    /// <summary>A session over a copy of <paramref name="model"/>'s current weights (later training of the model does not reach it).</summary>
    public static InferenceSession FromModel(Sequential model, InferenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new InferenceOptions();
        options.Validate();
        var spec = ModelSpec.FromModel(model);
        var ctx = Context.ForIsa(options.Isa == Isa.Auto ? AutoIsa() : options.Isa, 1);
        Sequential? copy = null;
        try
        {
            copy = spec.Build(0, InitScheme.PyTorchDefault, ctx, fuseActivations: false);
            var source = model.Parameters().ToList();
            var target = copy.Parameters().ToList();
            for (int i = 0; i < target.Count; i++) target[i].Value.CopyFrom(source[i].Value.AsSpan());
            return new InferenceSession(copy, ctx, spec, new Dictionary<string, string>(), options);
        }
        catch
        {
            copy?.Dispose();
            ctx.Dispose();
            throw;
        }
    }

    /// <summary>The architecture.</summary>
    public ModelSpec Spec { get; }

    /// <summary>The checkpoint's metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Values per input sample (784 for a 28x28 digit).</summary>
    public int InputFeatures => Spec.InputFeatures;

    /// <summary>Values per output sample (the class count of a classifier; logits).</summary>
    public int OutputFeatures => Spec.OutputFeatures;

    /// <summary>The input image shape, when the model takes images.</summary>
    public ImageShape? InputImage => Spec.InputImage;

    /// <summary>Workspaces created so far (at most the concurrency limit).</summary>
    public int Workers
    {
        get
        {
            lock (_idle) return _all.Count;
        }
    }

    /// <summary>
    /// Runs the model on <paramref name="input"/>: one sample or a batch of
    /// input.Length / <see cref="InputFeatures"/> samples, row after row; writes
    /// <see cref="OutputFeatures"/> values per sample into <paramref name="output"/>. Thread-safe.
    /// </summary>
    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        int batch = BatchOf(input, output);
        var worker = Acquire();
        try
        {
            var x = Tensor.Ensure(ref worker.Input, batch, InputFeatures);
            input.CopyTo(x.AsSpan());
            var y = worker.Model.Forward(x, training: false);
            y.AsSpan().CopyTo(output);
        }
        finally
        {
            Release(worker);
        }
    }

    /// <summary>The arg max class of one sample (<paramref name="input"/> is <see cref="InputFeatures"/> values). Thread-safe.</summary>
    public int PredictClass(ReadOnlySpan<float> input)
    {
        if (input.Length != InputFeatures)
            throw new ArgumentException($"one sample has {InputFeatures} values, got {input.Length}", nameof(input));
        var worker = Acquire();
        try
        {
            var x = Tensor.Ensure(ref worker.Input, 1, InputFeatures);
            input.CopyTo(x.AsSpan());
            var y = worker.Model.Forward(x, training: false).AsSpan();
            int best = 0;
            for (int i = 1; i < y.Length; i++)
                if (y[i] > y[best]) best = i;
            return best;
        }
        finally
        {
            Release(worker);
        }
    }

    private int BatchOf(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length == 0 || input.Length % InputFeatures != 0)
            throw new ArgumentException($"input has {input.Length} values, not a positive multiple of the {InputFeatures} of one sample", nameof(input));
        int batch = input.Length / InputFeatures;
        if (output.Length != (long)batch * OutputFeatures)
            throw new ArgumentException($"output has {output.Length} values; {batch} sample{(batch == 1 ? "" : "s")} need {(long)batch * OutputFeatures}", nameof(output));
        return batch;
    }

    private Worker Acquire()
    {
        lock (_idle)
        {
            while (true)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_idleCount > 0)
                {
                    var w = _idle[--_idleCount];
                    _idle[_idleCount] = null!;
                    return w;
                }
                if (_all.Count < _maxWorkers) break;
                Monitor.Wait(_idle);
            }
            // Reserve the slot before building outside the lock (building a replica takes a while).
            _all.Add(null!);
        }
        Worker created;
        try { created = new Worker(this); }
        catch
        {
            lock (_idle)
            {
                _all.Remove(null!);
                Monitor.Pulse(_idle);
            }
            throw;
        }
        lock (_idle) _all[_all.IndexOf(null!)] = created;
        return created;
    }

    private void Release(Worker worker)
    {
        lock (_idle)
        {
            _idle[_idleCount++] = worker;
            Monitor.Pulse(_idle);
        }
    }

    private static Isa AutoIsa()
    {
        using var probe = new Context();
        return probe.Isa;
    }

    public void Dispose()
    {
        lock (_idle)
        {
            if (_disposed) return;
            _disposed = true;
            Monitor.PulseAll(_idle);
            foreach (var w in _all) w?.Dispose();
            _all.Clear();
            _idleCount = 0;
        }
        _weights.Dispose();
        _weightsContext.Dispose();
    }

    /// <summary>One workspace: a context and a replica of the layers reading the shared weights.</summary>
    private sealed class Worker : IDisposable
    {
        public readonly Context Context;
        public readonly Sequential Model;
        public Tensor? Input;

        public Worker(InferenceSession session)
        {
            Context = Context.ForIsa(session._weightsContext.Isa, session._options.Threads);
            try
            {
                Model = session.Spec.Build(0, InitScheme.PyTorchDefault, Context, fuseActivations: false);
                var mine = Model.Parameters().ToList();
                var shared = session._weights.Parameters().ToList();
                for (int i = 0; i < mine.Count; i++) mine[i].ShareMemoryOf(shared[i]);
            }
            catch
            {
                Model?.Dispose();
                Context.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Model.Dispose();
            Input?.Dispose();
            Context.Dispose();
        }
    }
}
