namespace Hpc.Nn;

/// <summary>
/// Truncated backpropagation through time for <see cref="CharLstm"/>: the training text is cut
/// into <see cref="Streams"/> contiguous streams read side by side, <see cref="ChunkLength"/>
/// characters per step; the LSTM state carries from chunk to chunk (its values, not its
/// gradient: each step backpropagates through its own chunk only) and resets when the streams
/// wrap around. Clipping, if wanted, comes with the optimizer (<see cref="ClippedOptimizer"/>).
/// </summary>
public sealed class TruncatedBpttTrainer : IDisposable
{
    private readonly int[] _data;
    private readonly int _streamLength;
    private readonly int[] _inputs, _targets;
    private readonly RecurrentState _state;
    private readonly CrossEntropyLoss _loss;
    private int _offset;

    public TruncatedBpttTrainer(CharLstm model, Optimizer optimizer, int[] trainData, int streams = 32, int chunkLength = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(trainData);
        if (streams <= 0) throw new ArgumentOutOfRangeException(nameof(streams), streams, "streams must be > 0");
        if (chunkLength <= 0) throw new ArgumentOutOfRangeException(nameof(chunkLength), chunkLength, "chunk length must be > 0");
        _streamLength = (trainData.Length - 1) / streams;
        if (_streamLength < chunkLength + 1)
            throw new InvalidDataException($"the training text ({trainData.Length} characters) is too short for {streams} streams of chunks of {chunkLength}");
        Model = model;
        Optimizer = optimizer;
        Streams = streams;
        ChunkLength = chunkLength;
        _data = trainData;
        _inputs = new int[streams * chunkLength];
        _targets = new int[streams * chunkLength];
        _state = model.Lstm.CreateState(streams);
        _loss = new CrossEntropyLoss(model.Context);
    }

    public CharLstm Model { get; }
    public Optimizer Optimizer { get; }
    public int Streams { get; }
    public int ChunkLength { get; }

    /// <summary>Steps taken so far.</summary>
    public long Step { get; private set; }

    /// <summary>Full chunks per pass over the training text.</summary>
    public int StepsPerEpoch => (_streamLength - 1) / ChunkLength;

    /// <summary>One update on the next chunk of every stream; returns its mean cross-entropy in nats.</summary>
    public float TrainStep()
    {
        if (_offset + ChunkLength > _streamLength - 1)
        {
            _offset = 0;
            _state.Reset();
        }
        Fill(_data, _streamLength, _offset, ChunkLength, _inputs, _targets);
        var logits = Model.Forward(_inputs, ChunkLength, Streams, _state, training: true);
        float loss = _loss.Forward(logits, _targets);
        Model.Backward(_loss.Backward());
        Optimizer.Step();
        _offset += ChunkLength;
        Step++;
        return loss;
    }

    /// <summary>
    /// Bits per character on <paramref name="data"/> read as the same number of streams from a zero
    /// state, the state carried through the whole text.
    /// </summary>
    public double BitsPerCharacter(int[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int length = (data.Length - 1) / Streams;
        if (length < 1) throw new InvalidDataException($"{data.Length} characters are too few to evaluate with {Streams} streams");
        using var state = Model.Lstm.CreateState(Streams);
        double nats = 0;
        long count = 0;
        for (int offset = 0; offset < length; offset += ChunkLength)
        {
            int steps = Math.Min(ChunkLength, length - offset);
            Fill(data, length, offset, steps, _inputs, _targets);
            var logits = Model.Forward(_inputs.AsSpan(0, steps * Streams), steps, Streams, state, training: false);
            nats += (double)_loss.Forward(logits, _targets.AsSpan(0, steps * Streams), computeGradient: false) * steps * Streams;
            count += steps * Streams;
        }
        return nats / count / Math.Log(2);
    }

    private void Fill(int[] data, int streamLength, int offset, int steps, int[] inputs, int[] targets)
    {
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < Streams; b++)
            {
                int p = b * streamLength + offset + t;
                inputs[t * Streams + b] = data[p];
                targets[t * Streams + b] = data[p + 1];
            }
    }

    public void Dispose() => _state.Dispose();
}
