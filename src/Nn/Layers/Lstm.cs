using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Long short-term memory layers, as PyTorch's nn.LSTM: per step i, f, g, o = sigmoid, sigmoid,
/// tanh, sigmoid of x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh, c_t = f c_{t-1} + i g,
/// h_t = o tanh(c_t). See <see cref="RecurrentLayer"/> for shapes and state.
/// </summary>
public sealed class Lstm(int inputSize, int hiddenSize, int numLayers = 1, bool batchFirst = false, bool bias = true, Context? ctx = null)
    : RecurrentLayer(hpc_rnn_cell.HPC_RNN_LSTM, inputSize, hiddenSize, numLayers, batchFirst, bias, ctx)
{
    public override string Name => $"Lstm({InputSize}, {HiddenSize}{(NumLayers > 1 ? $", layers={NumLayers}" : "")})";
}
