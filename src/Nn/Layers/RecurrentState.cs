namespace Hpc.Nn;

/// <summary>
/// The hidden state (and, for an LSTM, the cell state) of a stacked recurrent layer between
/// sequences: [layers, batch, hidden] each, as PyTorch's (h, c). Passed to
/// <see cref="RecurrentLayer.Forward(Tensor, RecurrentState?, bool)"/> it is read as the initial
/// state and overwritten with the final one, so truncated backpropagation through time carries it
/// from chunk to chunk; the values carry over, the gradient never flows back into the earlier chunk.
/// </summary>
public sealed class RecurrentState : IDisposable
{
    public RecurrentState(int layers, int batch, int hidden, bool hasCell)
    {
        if (layers <= 0) throw new ArgumentOutOfRangeException(nameof(layers), layers, "layers must be > 0");
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be > 0");
        if (hidden <= 0) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "hidden must be > 0");
        Layers = layers;
        Batch = batch;
        HiddenSize = hidden;
        Hidden = new Tensor(layers, batch, hidden);
        if (hasCell) Cell = new Tensor(layers, batch, hidden);
    }

    public int Layers { get; }
    public int Batch { get; }
    public int HiddenSize { get; }

    /// <summary>h: [layers, batch, hidden].</summary>
    public Tensor Hidden { get; }

    /// <summary>c: [layers, batch, hidden] for an LSTM, null for a plain RNN.</summary>
    public Tensor? Cell { get; }

    /// <summary>Zeroes the state (the start of a new stream).</summary>
    public void Reset()
    {
        Hidden.Fill(0f);
        Cell?.Fill(0f);
    }

    public void Dispose()
    {
        Hidden.Dispose();
        Cell?.Dispose();
    }
}
