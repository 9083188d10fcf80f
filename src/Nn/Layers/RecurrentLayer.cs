using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// A stack of recurrent layers over whole sequences, computed by the native rnn kernels with
/// PyTorch's parameter names, layout and gate order (weight_ih_l{k} [G*hidden, in],
/// weight_hh_l{k} [G*hidden, hidden], bias_ih_l{k}, bias_hh_l{k}; G = 4 gates i, f, g, o for the
/// LSTM, 1 for the tanh RNN), so weights move between the two unchanged. Input [steps, batch, in]
/// (or [batch, steps, in] when batch-first), output the top layer's hidden states
/// [steps, batch, hidden] (batch-first alike). An optional <see cref="RecurrentState"/> gives the
/// initial state and receives the final one.
/// </summary>
public abstract unsafe class RecurrentLayer : Module
{
    private readonly hpc_rnn_cell _cell;
    private readonly LayerBuffers[] _layers;
    private Tensor? _xTimeMajor, _output, _dyTimeMajor, _dx;
    private int _steps, _batch;
    private bool _forwardDone, _hadState;

    private protected RecurrentLayer(hpc_rnn_cell cell, int inputSize, int hiddenSize, int numLayers, bool batchFirst,
        bool bias, Context? ctx) : base(ctx)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "inputSize must be > 0");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "hiddenSize must be > 0");
        if (numLayers <= 0) throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, "numLayers must be > 0");
        _cell = cell;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        BatchFirst = batchFirst;
        HasBias = bias;
        int g = GateCount * hiddenSize;
        _layers = new LayerBuffers[numLayers];
        for (int l = 0; l < numLayers; l++)
        {
            int input = l == 0 ? inputSize : hiddenSize;
            _layers[l] = new LayerBuffers(
                new Parameter($"weight_ih_l{l}", new Tensor(g, input)),
                new Parameter($"weight_hh_l{l}", new Tensor(g, hiddenSize)),
                bias ? new Parameter($"bias_ih_l{l}", new Tensor(g), weightDecay: false) : null,
                bias ? new Parameter($"bias_hh_l{l}", new Tensor(g), weightDecay: false) : null,
                input);
        }
        ResetParameters(InitScheme.PyTorchDefault, new Rng(0));
    }

    public int InputSize { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }
    public bool BatchFirst { get; }
    public bool HasBias { get; }

    /// <summary>Rows of W_ih / W_hh per hidden unit: 4 for the LSTM, 1 for the tanh RNN.</summary>
    public int GateCount => _cell == hpc_rnn_cell.HPC_RNN_LSTM ? 4 : 1;

    private bool HasCell => _cell == hpc_rnn_cell.HPC_RNN_LSTM;

    /// <summary>W_ih of layer <paramref name="layer"/>: [G*hidden, in].</summary>
    public Parameter WeightIh(int layer) => _layers[layer].WeightIh;
    /// <summary>W_hh of layer <paramref name="layer"/>: [G*hidden, hidden].</summary>
    public Parameter WeightHh(int layer) => _layers[layer].WeightHh;
    public Parameter? BiasIh(int layer) => _layers[layer].BiasIh;
    public Parameter? BiasHh(int layer) => _layers[layer].BiasHh;

    /// <summary>A zero state for <paramref name="batch"/> streams, shaped for this layer.</summary>
    public RecurrentState CreateState(int batch) => new(NumLayers, batch, HiddenSize, HasCell);

    public override IEnumerable<Parameter> Parameters()
    {
        foreach (var l in _layers)
        {
            yield return l.WeightIh;
            yield return l.WeightHh;
            if (l.BiasIh is not null) yield return l.BiasIh;
            if (l.BiasHh is not null) yield return l.BiasHh;
        }
    }

    /// <summary>PyTorch's default: every weight and bias uniform in +-1/sqrt(hidden), whatever the scheme.</summary>
    public override void ResetParameters(InitScheme scheme, Rng rng)
    {
        double bound = 1.0 / Math.Sqrt(HiddenSize);
        foreach (var p in Parameters()) Init.Uniform(p.Value.AsSpan(), bound, rng);
    }

    /// <summary>Forward from a zero state.</summary>
    public override Tensor Forward(Tensor x, bool training) => Forward(x, null, training);

    /// <summary>
    /// Runs the sequence <paramref name="x"/> from <paramref name="state"/> (null = zeros) and,
    /// when a state is given, overwrites it with the final state.
    /// </summary>
    public Tensor Forward(Tensor x, RecurrentState? state, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3)
            throw new ArgumentException($"{Name}: x has shape {x.ShapeString()}, expected [{(BatchFirst ? "batch, steps" : "steps, batch")}, {InputSize}]", nameof(x));
        if (x.Shape[2] != InputSize)
            throw new ArgumentException($"{Name}: x has shape {x.ShapeString()} ({x.Shape[2]} features), expected {InputSize}", nameof(x));
        int steps = BatchFirst ? x.Shape[1] : x.Shape[0], batch = BatchFirst ? x.Shape[0] : x.Shape[1];
        if (state is not null && (state.Layers != NumLayers || state.Batch != batch || state.HiddenSize != HiddenSize || (state.Cell is null) == HasCell))
            throw new ArgumentException($"{Name}: state is [{state.Layers}, {state.Batch}, {state.HiddenSize}]{(state.Cell is null ? " without" : " with")} cell, expected [{NumLayers}, {batch}, {HiddenSize}]{(HasCell ? " with" : " without")} cell", nameof(state));
        _steps = steps;
        _batch = batch;
        _hadState = state is not null;
        var ctx = Context;
        long rows = (long)steps * batch;
        float* input = x.Data;
        if (BatchFirst)
        {
            var xt = Tensor.Ensure(ref _xTimeMajor, checked((int)rows), InputSize);
            SwapSteps(x.Data, xt.Data, batch, steps, InputSize);
            input = xt.Data;
        }
        long bh = (long)batch * HiddenSize;
        for (int l = 0; l < NumLayers; l++)
        {
            var b = _layers[l];
            b.Prepare(ctx, _cell, steps, batch, HiddenSize);
            b.Input = input;
            float* h0 = null, c0 = null, hn = null, cn = null;
            if (state is not null)
            {
                // The forward overwrites the caller's state: keep the initial one for backward.
                float* sh = state.Hidden.Data + l * bh;
                Buffer.MemoryCopy(sh, b.H0!.Data, bh * sizeof(float), bh * sizeof(float));
                h0 = b.H0.Data;
                hn = sh;
                if (HasCell)
                {
                    float* sc = state.Cell!.Data + l * bh;
                    Buffer.MemoryCopy(sc, b.C0!.Data, bh * sizeof(float), bh * sizeof(float));
                    c0 = b.C0.Data;
                    cn = sc;
                }
            }
            ctx.Check(Native.hpc_rnn_forward(ctx.Ptr, _cell, steps, batch, b.InputSize, HiddenSize, input,
                b.WeightIh.Value.Data, b.WeightHh.Value.Data, b.BiasIh is null ? null : b.BiasIh.Value.Data,
                b.BiasHh is null ? null : b.BiasHh.Value.Data, h0, c0, b.Y!.Data, hn, cn, b.Workspace!.Data, b.WorkspaceFloats));
            input = b.Y.Data;
        }
        var y = ToCallerLayout(input, ref _output, steps, batch, HiddenSize);
        _forwardDone = true;
        return y;
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient) => Backward(dy, null, null, computeInputGradient);

    /// <summary>
    /// Backpropagation through time of the last forward. <paramref name="dFinal"/> (may be null) is
    /// the gradient arriving at the final state; <paramref name="dInitial"/> (may be null) receives
    /// the gradient at the initial state. Writes every parameter gradient; returns dLoss/dx (null
    /// when <paramref name="computeInputGradient"/> is false).
    /// </summary>
    public Tensor? Backward(Tensor dy, RecurrentState? dFinal, RecurrentState? dInitial, bool computeInputGradient)
    {
        ArgumentNullException.ThrowIfNull(dy);
        if (!_forwardDone) throw new InvalidOperationException($"{Name}: Backward called before Forward");
        int steps = _steps, batch = _batch;
        long rows = (long)steps * batch, bh = (long)batch * HiddenSize;
        if (dy.Length != rows * HiddenSize)
            throw new ArgumentException($"{Name}: dy has shape {dy.ShapeString()}, the forward output had {steps * batch * HiddenSize} values", nameof(dy));
        CheckStateShape(dFinal, batch, nameof(dFinal));
        CheckStateShape(dInitial, batch, nameof(dInitial));
        var ctx = Context;
        float* grad = dy.Data;
        if (BatchFirst)
        {
            var t = Tensor.Ensure(ref _dyTimeMajor, checked((int)rows), HiddenSize);
            SwapSteps(dy.Data, t.Data, batch, steps, HiddenSize);
            grad = t.Data;
        }
        for (int l = NumLayers - 1; l >= 0; l--)
        {
            var b = _layers[l];
            bool wantDx = l > 0 || computeInputGradient;
            float* dx = null;
            if (wantDx) dx = b.Dx!.Data;
            float* dhn = dFinal is null ? null : dFinal.Hidden.Data + l * bh;
            float* dcn = dFinal?.Cell is null ? null : dFinal.Cell.Data + l * bh;
            float* dh0 = dInitial is null ? null : dInitial.Hidden.Data + l * bh;
            float* dc0 = dInitial?.Cell is null ? null : dInitial.Cell.Data + l * bh;
            float* db = b.BiasIh is not null ? b.BiasIh.Grad.Data : b.BiasHh is not null ? b.BiasHh.Grad.Data : null;
            ctx.Check(Native.hpc_rnn_backward(ctx.Ptr, _cell, steps, batch, b.InputSize, HiddenSize, b.Input,
                b.WeightIh.Value.Data, b.WeightHh.Value.Data, _hadState ? b.H0!.Data : null,
                _hadState && HasCell ? b.C0!.Data : null, b.Y!.Data, grad, dhn, dcn, dx,
                b.WeightIh.Grad.Data, b.WeightHh.Grad.Data, db, dh0, dc0, b.Workspace!.Data, b.WorkspaceFloats));
            // Both biases enter the same sum: their gradients are equal.
            if (b.BiasIh is not null && b.BiasHh is not null) b.BiasIh.Grad.AsSpan().CopyTo(b.BiasHh.Grad.AsSpan());
            grad = dx;
        }
        _forwardDone = false; // the workspace now holds gate gradients, not activations
        if (!computeInputGradient) return null;
        return ToCallerLayout(grad, ref _dx, steps, batch, InputSize);
    }

    private void CheckStateShape(RecurrentState? s, int batch, string name)
    {
        if (s is not null && (s.Layers != NumLayers || s.Batch != batch || s.HiddenSize != HiddenSize || (s.Cell is null) == HasCell))
            throw new ArgumentException($"{Name}: {name} is [{s.Layers}, {s.Batch}, {s.HiddenSize}], expected [{NumLayers}, {batch}, {HiddenSize}]", name);
    }

    /// <summary>A time-major [steps, batch, features] sequence copied into the module's output buffer in the caller's layout.</summary>
    private Tensor ToCallerLayout(float* timeMajor, ref Tensor? buffer, int steps, int batch, int features)
    {
        long n = (long)steps * batch * features;
        var t = Tensor.Ensure(ref buffer, checked(steps * batch), features);
        if (BatchFirst)
        {
            SwapSteps(timeMajor, t.Data, steps, batch, features);
            t.TryReshape([batch, steps, features]);
        }
        else
        {
            Buffer.MemoryCopy(timeMajor, t.Data, n * sizeof(float), n * sizeof(float));
            t.TryReshape([steps, batch, features]);
        }
        return t;
    }

    /// <summary>[a, b, f] -> [b, a, f]: between batch-first and time-major.</summary>
    private static void SwapSteps(float* src, float* dst, int a, int b, int features)
    {
        long rowBytes = (long)features * sizeof(float);
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
                Buffer.MemoryCopy(src + ((long)i * b + j) * features, dst + ((long)j * a + i) * features, rowBytes, rowBytes);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        foreach (var b in _layers) b.Dispose();
        _xTimeMajor?.Dispose();
        _output?.Dispose();
        _dyTimeMajor?.Dispose();
        _dx?.Dispose();
    }

    /// <summary>One layer's parameters and the buffers its forward leaves for its backward.</summary>
    private sealed class LayerBuffers(Parameter weightIh, Parameter weightHh, Parameter? biasIh, Parameter? biasHh, int inputSize) : IDisposable
    {
        public Parameter WeightIh { get; } = weightIh;
        public Parameter WeightHh { get; } = weightHh;
        public Parameter? BiasIh { get; } = biasIh;
        public Parameter? BiasHh { get; } = biasHh;
        public int InputSize { get; } = inputSize;
        public float* Input;
        public Tensor? Y, Dx, H0, C0, Workspace;
        public long WorkspaceFloats;
        private int _steps = -1, _batch = -1;

        /// <summary>Sizes the buffers for steps x batch; reallocates only when a size grows.</summary>
        public void Prepare(Context ctx, hpc_rnn_cell cell, int steps, int batch, int hidden)
        {
            if (steps == _steps && batch == _batch) return;
            long floats;
            ctx.Check(Native.hpc_rnn_workspace_size(ctx.Ptr, cell, steps, batch, hidden, &floats));
            int rows = checked(steps * batch);
            Tensor.Ensure(ref Y, rows, hidden);
            Tensor.Ensure(ref Dx, rows, InputSize);
            Tensor.Ensure(ref H0, batch, hidden);
            if (cell == hpc_rnn_cell.HPC_RNN_LSTM) Tensor.Ensure(ref C0, batch, hidden);
            Tensor.Ensure(ref Workspace, 1, checked((int)floats));
            WorkspaceFloats = floats;
            _steps = steps;
            _batch = batch;
        }

        public void Dispose()
        {
            Y?.Dispose();
            Dx?.Dispose();
            H0?.Dispose();
            C0?.Dispose();
            Workspace?.Dispose();
        }
    }
}
