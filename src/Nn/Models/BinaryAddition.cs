namespace Hpc.Nn;

/// <summary>
/// The sequence task of seed 002's backpropagation-through-time algorithm: a tanh <see cref="Rnn"/>
/// reads two binary numbers one bit pair per step, least significant first, and emits the bit of
/// their sum at each step, so it must learn to keep the carry in its state. Trained by full
/// BPTT (every sequence from a zero state, the gradient through all steps) with Adam.
/// </summary>
public sealed class BinaryAddition : IDisposable
{
    private readonly Rng _rng;
    private readonly Tensor _x;
    private readonly int[] _targets;
    private readonly CrossEntropyLoss _loss;
    private readonly Adam _optimizer;

    public BinaryAddition(int bits = 8, int hidden = 16, int batch = 32, float learningRate = 0.01f, ulong seed = 7, Context? ctx = null)
    {
        if (bits <= 0 || bits > 30) throw new ArgumentOutOfRangeException(nameof(bits), bits, "bits must be in [1, 30]");
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be > 0");
        Bits = bits;
        Batch = batch;
        Rnn = new Rnn(2, hidden, ctx: ctx);
        Readout = new Linear(hidden, 2, ctx: ctx);
        _rng = new Rng(seed);
        Rnn.ResetParameters(InitScheme.PyTorchDefault, _rng);
        Readout.ResetParameters(InitScheme.PyTorchDefault, _rng);
        _x = new Tensor(bits, batch, 2);
        _targets = new int[bits * batch];
        _loss = new CrossEntropyLoss(ctx);
        _optimizer = new Adam(Rnn.Parameters().Concat(Readout.Parameters()), learningRate, ctx: ctx);
    }

    public int Bits { get; }
    public int Batch { get; }
    public Rnn Rnn { get; }
    public Linear Readout { get; }

    /// <summary>One step on a fresh batch of random pairs whose sum fits in <see cref="Bits"/> bits; returns the loss.</summary>
    public float TrainStep()
    {
        Sample();
        var logits = Forward(training: true);
        float loss = _loss.Forward(logits, _targets);
        var dh = Readout.Backward(_loss.Backward());
        Rnn.Backward(dh, computeInputGradient: false);
        _optimizer.Step();
        return loss;
    }

    /// <summary>The fraction of <paramref name="batches"/> fresh batches of sums the model gets exactly right (every bit).</summary>
    public double SumAccuracy(int batches)
    {
        int right = 0;
        for (int k = 0; k < batches; k++)
        {
            Sample();
            var logits = Forward(training: false);
            for (int b = 0; b < Batch; b++)
            {
                bool ok = true;
                for (int t = 0; t < Bits && ok; t++)
                {
                    var row = logits.Row(t * Batch + b);
                    ok = (row[1] > row[0] ? 1 : 0) == _targets[t * Batch + b];
                }
                if (ok) right++;
            }
        }
        return (double)right / (batches * Batch);
    }

    private Tensor Forward(bool training)
    {
        var h = Rnn.Forward(_x, training);
        h.TryReshape([Bits * Batch, Rnn.HiddenSize]);
        return Readout.Forward(h, training);
    }

    private void Sample()
    {
        var x = _x.AsSpan();
        int limit = 1 << (Bits - 1);
        for (int b = 0; b < Batch; b++)
        {
            int p = _rng.NextInt(limit), q = _rng.NextInt(limit), sum = p + q;
            for (int t = 0; t < Bits; t++)
            {
                x[(t * Batch + b) * 2] = (p >> t) & 1;
                x[(t * Batch + b) * 2 + 1] = (q >> t) & 1;
                _targets[t * Batch + b] = (sum >> t) & 1;
            }
        }
    }

    public void Dispose()
    {
        Rnn.Dispose();
        Readout.Dispose();
        _x.Dispose();
        _optimizer.Dispose();
    }
}
