using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// 2-D convolution (cross-correlation, as in the notes and PyTorch) over NCHW float32 batches:
/// weights [K, C, R, S], bias [K], output [N, K, P, Q] with P = (H + 2 pad - dilation (R - 1) - 1) / stride + 1.
/// Runs on the native im2col + packed GEMM kernels with the bias (and optionally an activation)
/// fused into the GEMM write-back.
/// </summary>
/// <remarks>
/// The im2col workspace is sized for one image (the kernels batch over images), allocated when the
/// input geometry first appears and reused; <see cref="MaxWorkspaceBytes"/> caps it (smaller tiles,
/// same results up to GEMM rounding). Output and gradient buffers are kept per batch shape.
/// </remarks>
public sealed unsafe class Conv2d : Module
{
    private readonly BatchTensors _outputs = new();
    private readonly BatchTensors _inputGrads = new();
    private Tensor? _preActGrad;
    private Tensor? _workspace;
    private Tensor? _input;
    private Tensor? _output;
    private hpc_conv2d_desc _desc;

    /// <summary>A square kernel with the same stride, padding and dilation in both directions.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1,
        bool bias = true, ActivationKind activation = ActivationKind.Identity, Context? ctx = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), bias, activation, ctx) { }

    /// <summary>(height, width) pairs for the kernel, stride, padding and dilation.</summary>
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding,
        (int H, int W) dilation, bool bias = true, ActivationKind activation = ActivationKind.Identity, Context? ctx = null) : base(ctx)
    {
        Positive(inChannels, nameof(inChannels));
        Positive(outChannels, nameof(outChannels));
        Positive(kernel.H, "kernel height");
        Positive(kernel.W, "kernel width");
        Positive(stride.H, "stride height");
        Positive(stride.W, "stride width");
        Positive(dilation.H, "dilation height");
        Positive(dilation.W, "dilation width");
        if (padding.H < 0 || padding.W < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "Conv2d: padding must be >= 0");
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Conv2d: unknown activation");
        InChannels = inChannels;
        OutChannels = outChannels;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Activation = activation;
        Weight = new Parameter("weight", new Tensor(outChannels, inChannels, kernel.H, kernel.W));
        if (bias) Bias = new Parameter("bias", new Tensor(outChannels), weightDecay: false);
        ResetParameters(InitScheme.PyTorchDefault, new Rng(0));
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public (int H, int W) Kernel { get; }
    public (int H, int W) Stride { get; }
    public (int H, int W) Padding { get; }
    public (int H, int W) Dilation { get; }

    /// <summary>Applied to conv + bias in the GEMM write-back (Identity: none).</summary>
    public ActivationKind Activation { get; }

    internal override string SpecLine
    {
        get
        {
            var sb = new System.Text.StringBuilder("conv ");
            sb.Append(OutChannels.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(' ').Append(Kernel.H).Append('x').Append(Kernel.W);
            if (Stride != (1, 1)) sb.Append(" stride=").Append(ModelSpec.PairText(Stride));
            if (Padding != (0, 0)) sb.Append(" pad=").Append(ModelSpec.PairText(Padding));
            if (Dilation != (1, 1)) sb.Append(" dilation=").Append(ModelSpec.PairText(Dilation));
            if (Bias is null) sb.Append(" bias=false");
            if (Activation != ActivationKind.Identity) sb.Append(" act=").Append(Activation.ToString().ToLowerInvariant());
            return sb.ToString();
        }
    }

    /// <summary>[K, C, R, S].</summary>
    public Parameter Weight { get; }

    /// <summary>[K], or null when built without bias.</summary>
    public Parameter? Bias { get; }

    /// <summary>C x H x W of one input sample, needed when inputs arrive as [N, C*H*W] rows.</summary>
    public ImageShape? InputShape
    {
        get;
        set
        {
            if (value is { } s && s.Channels != InChannels)
                throw new ArgumentException($"{Name}: input shape {s} has {s.Channels} channels, the layer takes {InChannels}", nameof(value));
            field = value;
        }
    }

    /// <summary>
    /// False for a network's first layer: its input needs no gradient, so backward-data (a GEMM and
    /// col2im as costly as the forward) is skipped and <see cref="Module.Backward(Tensor, bool)"/> returns null.
    /// </summary>
    public bool NeedsInputGradient { get; set; } = true;

    /// <summary>Upper bound on the im2col workspace in bytes (null: what full speed needs, one image's columns).</summary>
    public long? MaxWorkspaceBytes
    {
        get;
        set
        {
            if (value is < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "Conv2d: MaxWorkspaceBytes must be >= 0");
            field = value;
        }
    }

    /// <summary>Workspace bytes the last forward used.</summary>
    public long WorkspaceBytes { get; private set; }

    public override string Name
    {
        get
        {
            string s = $"Conv2d({InChannels}, {OutChannels}, {Pair(Kernel)}";
            if (Stride != (1, 1)) s += $", stride={Pair(Stride)}";
            if (Padding != (0, 0)) s += $", pad={Pair(Padding)}";
            if (Dilation != (1, 1)) s += $", dilation={Pair(Dilation)}";
            if (Bias is null) s += ", bias=false";
            if (Activation != ActivationKind.Identity) s += $", {Activation}";
            return s + ")";
        }
    }

    public override IEnumerable<Parameter> Parameters()
    {
        yield return Weight;
        if (Bias is not null) yield return Bias;
    }

    /// <summary>fan_in = C * R * S and fan_out = K * R * S, as for PyTorch's Conv2d.</summary>
    public override void ResetParameters(InitScheme scheme, Rng rng)
    {
        int area = Kernel.H * Kernel.W;
        Init.Initialize(Weight.Value, InChannels * area, OutChannels * area, scheme, rng);
        if (Bias is not null) Init.InitializeBias(Bias.Value, InChannels * area, scheme, rng);
    }

    /// <summary>The output shape for one input sample (INVALID_ARGUMENT from the kernel, e.g. a kernel larger than the padded input, as an exception).</summary>
    public ImageShape OutputShape(ImageShape input)
    {
        var desc = Describe(1, input);
        long p, q;
        Context.Check(Native.hpc_conv2d_output_size(Context.Ptr, &desc, &p, &q));
        return new ImageShape(OutChannels, (int)p, (int)q);
    }

    public override Tensor Forward(Tensor x, bool training)
    {
        var (n, shape) = ImageShape.Resolve(this, x, InputShape);
        if (shape.Channels != InChannels)
            throw new ArgumentException($"{Name}: input {x.ShapeString()} has {shape.Channels} channels, the weights [{OutChannels}, {InChannels}, {Kernel.H}, {Kernel.W}] take {InChannels}", nameof(x));
        var ctx = Context;
        var desc = Describe(n, shape);
        long p, q;
        ctx.Check(Native.hpc_conv2d_output_size(ctx.Ptr, &desc, &p, &q));
        var y = _outputs.Get(n, OutChannels, (int)p, (int)q);
        void* ws = EnsureWorkspace(&desc, out long wsBytes);
        float* bias = Bias is null ? null : Bias.Value.Data;
        ctx.Check(Native.hpc_conv2d_forward(ctx.Ptr, &desc, x.Data, Weight.Value.Data, bias,
            Hpc.Nn.Activation.Native(Activation), y.Data, ws, wsBytes));
        _desc = desc;
        _input = x;
        _output = y;
        return y;
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient)
    {
        CheckForwardDone(_input);
        ArgumentNullException.ThrowIfNull(dy);
        var y = _output!;
        if (dy.Length != y.Length)
            throw new ArgumentException($"{Name}: dy has shape {dy.ShapeString()}, the forward output was {y.ShapeString()}", nameof(dy));
        var ctx = Context;
        var desc = _desc;
        float* g = dy.Data;
        if (Activation != ActivationKind.Identity)
        {
            // The pre-activation output is not kept: for ReLU, sigmoid and tanh the derivative is a
            // function of the output alone (relu'(z) = [y > 0]), so y stands in for z.
            var pre = Tensor.Ensure(ref _preActGrad, y.Rows, y.Cols);
            ctx.Check(Native.hpc_act_backward(ctx.Ptr, Hpc.Nn.Activation.Native(Activation), 0f, y.Length, y.Data, y.Data, dy.Data, pre.Data));
            g = pre.Data;
        }
        void* ws = EnsureWorkspace(&desc, out long wsBytes);
        ctx.Check(Native.hpc_conv2d_backward_weights(ctx.Ptr, &desc, _input!.Data, g, Weight.Grad.Data,
            Bias is null ? null : Bias.Grad.Data, ws, wsBytes));
        if (!computeInputGradient || !NeedsInputGradient) return null;
        var dx = _inputGrads.Get((int)desc.n, (int)desc.c, (int)desc.h, (int)desc.w);
        ctx.Check(Native.hpc_conv2d_backward_data(ctx.Ptr, &desc, g, Weight.Value.Data, dx.Data, ws, wsBytes));
        return dx;
    }

    private hpc_conv2d_desc Describe(int n, ImageShape input) => new()
    {
        n = n, c = input.Channels, h = input.Height, w = input.Width,
        k = OutChannels, r = Kernel.H, s = Kernel.W,
        stride_h = Stride.H, stride_w = Stride.W,
        pad_h = Padding.H, pad_w = Padding.W,
        dilation_h = Dilation.H, dilation_w = Dilation.W,
    };

    private void* EnsureWorkspace(hpc_conv2d_desc* desc, out long bytes)
    {
        long full;
        Context.Check(Native.hpc_conv2d_workspace_size(Context.Ptr, desc, &full));
        bytes = full;
        if (MaxWorkspaceBytes is { } cap && bytes > cap)
        {
            // The kernels need at least one output pixel's column.
            long minimum = desc->c * desc->r * desc->s * sizeof(float);
            bytes = Math.Max(cap, minimum);
        }
        WorkspaceBytes = bytes;
        if (bytes == 0) return null;
        long floats = (bytes + sizeof(float) - 1) / sizeof(float);
        if (_workspace is null || _workspace.Capacity < floats)
        {
            _workspace?.Dispose();
            _workspace = new Tensor(checked((int)floats));
        }
        return _workspace.Data;
    }

    private static void Positive(int value, string what)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(what, value, $"Conv2d: {what} must be > 0");
    }

    private static string Pair((int H, int W) p) => p.H == p.W ? p.H.ToString() : $"{p.H}x{p.W}";

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _outputs.Dispose();
        _inputGrads.Dispose();
        _preActGrad?.Dispose();
        _workspace?.Dispose();
        _input = null;
        _output = null;
    }
}
