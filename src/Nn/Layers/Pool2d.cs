using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// What max and average pooling share: the window geometry over NCHW batches (each channel pooled
/// on its own, so the channel count comes from the input), output [N, C, P, Q] with
/// P = (H + 2 pad - window) / stride + 1, and per-shape output / gradient buffers.
/// </summary>
public abstract unsafe class Pool2d : Module
{
    private readonly BatchTensors _outputs = new();
    private readonly BatchTensors _inputGrads = new();
    private protected hpc_pool2d_desc Desc;
    private protected Tensor? Input;
    private protected Tensor? Output;

    private protected Pool2d((int H, int W) window, (int H, int W)? stride, (int H, int W) padding, Context? ctx) : base(ctx)
    {
        var s = stride ?? window;
        if (window.H <= 0 || window.W <= 0) throw new ArgumentOutOfRangeException(nameof(window), window, $"{GetType().Name}: window must be > 0");
        if (s.H <= 0 || s.W <= 0) throw new ArgumentOutOfRangeException(nameof(stride), s, $"{GetType().Name}: stride must be > 0");
        if (padding.H < 0 || padding.W < 0 || padding.H >= window.H || padding.W >= window.W)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"{GetType().Name}: padding must be >= 0 and smaller than the window {window}");
        Window = window;
        Stride = s;
        Padding = padding;
    }

    public (int H, int W) Window { get; }

    /// <summary>Defaults to the window (non-overlapping pooling).</summary>
    public (int H, int W) Stride { get; }

    public (int H, int W) Padding { get; }

    /// <summary>C x H x W of one input sample, needed when inputs arrive as [N, C*H*W] rows (e.g. after an activation).</summary>
    public ImageShape? InputShape { get; set; }

    public override string Name
    {
        get
        {
            string s = $"{GetType().Name}({Pair(Window)}";
            if (Stride != Window) s += $", stride={Pair(Stride)}";
            if (Padding != (0, 0)) s += $", pad={Pair(Padding)}";
            return s + ExtraName + ")";
        }
    }

    private protected virtual string ExtraName => "";

    /// <summary>The output shape for one input sample (the kernel's INVALID_ARGUMENT, e.g. a window larger than the padded input, as an exception).</summary>
    public ImageShape OutputShape(ImageShape input)
    {
        var desc = Describe(1, input);
        long p, q;
        Context.Check(Native.hpc_pool2d_output_size(Context.Ptr, &desc, &p, &q));
        return new ImageShape(input.Channels, (int)p, (int)q);
    }

    internal override string SpecLine
    {
        get
        {
            string s = (this is MaxPool2d ? "maxpool " : "avgpool ") + ModelSpec.PairText(Window);
            if (Stride != Window) s += " stride=" + ModelSpec.PairText(Stride);
            if (Padding != (0, 0)) s += " pad=" + ModelSpec.PairText(Padding);
            if (this is AvgPool2d { CountIncludePad: false }) s += " count_pad=false";
            return s;
        }
    }

    /// <summary>Resolves x's geometry, validates it natively and returns the output buffer (Desc set).</summary>
    private protected Tensor PrepareForward(Tensor x)
    {
        var (n, shape) = ImageShape.Resolve(this, x, InputShape);
        var desc = Describe(n, shape);
        long p, q;
        Context.Check(Native.hpc_pool2d_output_size(Context.Ptr, &desc, &p, &q));
        Desc = desc;
        Input = x;
        Output = _outputs.Get(n, shape.Channels, (int)p, (int)q);
        return Output;
    }

    /// <summary>Checks dy against the last forward and returns the input-gradient buffer.</summary>
    private protected Tensor PrepareBackward(Tensor dy)
    {
        CheckForwardDone(Input);
        ArgumentNullException.ThrowIfNull(dy);
        if (dy.Length != Output!.Length)
            throw new ArgumentException($"{Name}: dy has shape {dy.ShapeString()}, the forward output was {Output.ShapeString()}", nameof(dy));
        return _inputGrads.Get((int)Desc.n, (int)Desc.c, (int)Desc.h, (int)Desc.w);
    }

    private hpc_pool2d_desc Describe(int n, ImageShape input) => new()
    {
        n = n, c = input.Channels, h = input.Height, w = input.Width,
        window_h = Window.H, window_w = Window.W,
        stride_h = Stride.H, stride_w = Stride.W,
        pad_h = Padding.H, pad_w = Padding.W,
    };

    private static string Pair((int H, int W) p) => p.H == p.W ? p.H.ToString() : $"{p.H}x{p.W}";

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _outputs.Dispose();
        _inputGrads.Dispose();
        Input = null;
        Output = null;
    }
}
