using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Elman recurrent layers with tanh, as PyTorch's nn.RNN: h_t = tanh(x_t W_ih^T + b_ih +
/// h_{t-1} W_hh^T + b_hh). See <see cref="RecurrentLayer"/> for shapes and state.
/// </summary>
public sealed class Rnn(int inputSize, int hiddenSize, int numLayers = 1, bool batchFirst = false, bool bias = true, Context? ctx = null)
    : RecurrentLayer(hpc_rnn_cell.HPC_RNN_TANH, inputSize, hiddenSize, numLayers, batchFirst, bias, ctx)
{
    public override string Name => $"Rnn({InputSize}, {HiddenSize}{(NumLayers > 1 ? $", layers={NumLayers}" : "")})";
}
