using System.Globalization;

namespace Hpc.Nn;

/// <summary>
/// A network described in a small line-oriented text format, parsed without reflection (NativeAOT)
/// with every shape inferred and checked at load: a spec that loads builds a model that runs.
/// </summary>
/// <remarks>
/// <code>
/// # comment (also after a line)
/// input 1x28x28                 # CxHxW image, or a feature count: input 784
/// conv 32 5x5 pad=2 stride=1    # filters, kernel RxS (or R); options stride, pad, dilation (N or HxW), bias=true|false,
///                               # act=relu|sigmoid|tanh (fused into the conv; a bare activation line after a conv is fused too)
/// relu                          # relu | sigmoid | tanh | identity | arctan | step | softmax
/// leaky-relu slope=0.01         # slope for z &lt; 0 (default 0.01)
/// prelu init=0.25               # one learnable slope per feature (initial value, default 0.25)
/// maxpool 2                     # window (N or HxW); stride (default: the window), pad
/// avgpool 2 count_pad=false     # as maxpool, plus count_pad=true|false
/// flatten
/// dropout 0.5 seed=43           # rate in [0, 1); seed of the masks (default: the build seed + the line number)
/// linear 128                    # output features; bias=true|false (images are flattened implicitly)
/// </code>
/// Unknown layers or options, malformed numbers and shapes that do not fit (a kernel larger than
/// its padded input, a conv after a flat layer) throw <see cref="ModelSpecException"/> naming the line.
/// <para>
/// <see cref="FromModel"/> writes the spec of a built network (what a checkpoint stores), so every
/// layer kind has a line: a new kind is a name in the kinds list, a case in <c>ParseLayer</c> and in
/// <see cref="Build"/>, and the layer's <c>Module.SpecLine</c> override that writes the line back.
/// </para>
/// </remarks>
public sealed class ModelSpec
{
    private static readonly string[] s_kinds = ["input", "conv", "maxpool", "avgpool", "flatten", "linear", "relu", "sigmoid", "tanh", "identity", "arctan", "step", "softmax", "leaky-relu", "prelu", "dropout"];

    private ModelSpec(string source, ImageShape? inputImage, int inputFeatures, List<ModelSpecLayer> layers)
    {
        Source = source;
        InputImage = inputImage;
        InputFeatures = inputFeatures;
        Layers = layers;
    }

    /// <summary>The file path or the name given to <see cref="Parse"/>.</summary>
    public string Source { get; }

    /// <summary>The input image shape, or null for a flat input.</summary>
    public ImageShape? InputImage { get; }

    /// <summary>Values per input sample (C*H*W for images).</summary>
    public int InputFeatures { get; }

    public IReadOnlyList<ModelSpecLayer> Layers { get; }

    /// <summary>Values per output sample (the class count of a classifier).</summary>
    public int OutputFeatures => Layers.Count == 0 ? InputFeatures : Features(Layers[^1].OutputShape);

    /// <summary>Reads and parses a spec file.</summary>
    public static ModelSpec Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"model spec '{path}' not found", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses spec text; <paramref name="source"/> names it in error messages.</summary>
    public static ModelSpec Parse(string text, string source = "<spec>")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        ImageShape? image = null;
        int features = 0;
        bool haveInput = false;
        ImageShape? inputImage = null;
        int inputFeatures = 0;
        var layers = new List<ModelSpecLayer>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string raw = lines[i].TrimEnd('\r');
            int hash = raw.IndexOf('#');
            string line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0) continue;
            var ctx = new LineContext(source, i + 1, line);
            var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            string kind = tokens[0].ToLowerInvariant();
            if (kind == "conv2d") kind = "conv";
            if (kind == "fc" || kind == "dense") kind = "linear";
            kind = kind.Replace('_', '-') switch { "leaky" or "leakyrelu" => "leaky-relu", "atan" => "arctan", var k => k };
            if (Array.IndexOf(s_kinds, kind) < 0)
                throw ctx.Error($"unknown layer '{tokens[0]}' (expected one of {string.Join(", ", s_kinds)})");
            if (kind == "input")
            {
                if (haveInput) throw ctx.Error("a second 'input' line; the input is declared once, first");
                ctx.Arity(tokens, 1, 1);
                if (tokens[1].Contains('x', StringComparison.OrdinalIgnoreCase))
                {
                    try { image = ImageShape.Parse(tokens[1]); }
                    catch (FormatException e) { throw ctx.Error(e.Message); }
                    features = checked((int)image.Value.Length);
                }
                else features = ctx.PositiveInt(tokens[1], "input size");
                haveInput = true;
                inputImage = image;
                inputFeatures = features;
                continue;
            }
            if (!haveInput) throw ctx.Error("the first line must declare the input: 'input CxHxW' (an image) or 'input N' (features)");
            var layer = ParseLayer(ctx, kind, tokens, ref image, ref features);
            layers.Add(layer);
        }
        if (!haveInput) throw new ModelSpecException(source, Math.Max(1, lines.Length), "", "the spec declares no input ('input CxHxW' or 'input N')");
        if (layers.Count == 0) throw new ModelSpecException(source, Math.Max(1, lines.Length), "", "the spec declares no layers after its input");
        return new ModelSpec(source, inputImage, inputFeatures, layers);
    }

    /// <summary>
    /// Builds the network, initialised with <paramref name="init"/> from <paramref name="seed"/>. With
    /// <paramref name="fuseActivations"/> a relu/sigmoid/tanh right after a conv runs inside the conv's
    /// GEMM write-back (same function, one pass fewer). The first layer's backward-data is skipped
    /// whenever the caller asks for no input gradient (Trainer does: Backward(dy, computeInputGradient: false)).
    /// </summary>
    public Sequential Build(ulong seed = 42, InitScheme init = InitScheme.PyTorchDefault, Context? ctx = null, bool fuseActivations = true)
    {
        var net = new Sequential(ctx);
        try
        {
            for (int i = 0; i < Layers.Count; i++)
            {
                var l = Layers[i];
                Module m;
                switch (l.Kind)
                {
                    case "conv":
                        var act = l.Activation;
                        if (act == ActivationKind.Identity && fuseActivations && i + 1 < Layers.Count && ActivationOf(Layers[i + 1].Kind) is { } a and not ActivationKind.Identity)
                        {
                            act = a;
                            i++;
                        }
                        m = new Conv2d(l.Input!.Value.Channels, l.Units, l.Kernel, l.Stride, l.Padding, l.Dilation, l.Bias, act, ctx)
                        {
                            InputShape = l.Input,
                        };
                        break;
                    case "maxpool":
                        m = new MaxPool2d(l.Kernel, l.Stride, l.Padding, ctx) { InputShape = l.Input };
                        break;
                    case "avgpool":
                        m = new AvgPool2d(l.Kernel, l.Stride, l.Padding, l.CountIncludePad, ctx) { InputShape = l.Input };
                        break;
                    case "flatten":
                        m = new Flatten(ctx);
                        break;
                    case "linear":
                        m = new Linear(l.InFeatures, l.Units, l.Bias, ctx);
                        break;
                    case "dropout":
                        m = new Dropout(l.Rate, l.Seed ?? seed + (ulong)l.LineNumber, ctx);
                        break;
                    case "prelu":
                        m = new PReLU(l.InFeatures, l.Slope, ctx);
                        break;
                    case "leaky-relu":
                        m = new LeakyReLU(l.Slope, ctx);
                        break;
                    case "arctan":
                        m = new Arctan(ctx);
                        break;
                    case "step":
                        m = new Step(ctx);
                        break;
                    case "softmax":
                        m = new Softmax(ctx);
                        break;
                    default:
                        m = Activation.Create(ActivationOf(l.Kind)!.Value, ctx);
                        break;
                }
                net.Add(m);
            }
            net.ResetParameters(init, new Rng(seed));
            net.InputImage = InputImage;
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The spec of a built network, one line per layer (a conv's fused activation as its act=
    /// option, dropout with its seed), parsed back so the shapes are checked: building it with
    /// <c>fuseActivations: false</c> gives the same layers with the same parameter names. Throws
    /// <see cref="NotSupportedException"/> for a layer without a spec form and
    /// <see cref="ArgumentException"/> when the input size cannot be told from the first layer.
    /// </summary>
    public static ModelSpec FromModel(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Layers.Count == 0) throw new ArgumentException("the model has no layers", nameof(model));
        var first = model.Layers[0];
        string input = model.InputImage?.ToString() ?? first switch
        {
            Conv2d { InputShape: { } s } => s.ToString(),
            Pool2d { InputShape: { } s } => s.ToString(),
            Linear l => l.InFeatures.ToString(CultureInfo.InvariantCulture),
            PReLU p => p.Units.ToString(CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"cannot tell the input size of a model starting with {first.Name}: give its first spatial layer an InputShape", nameof(model)),
        };
        var sb = new System.Text.StringBuilder("input ").Append(input).Append('\n');
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            string line = layer.SpecLine ?? throw new NotSupportedException($"layer #{i} {layer.Name} has no model-spec form, so the model cannot be described or saved");
            sb.Append(line).Append('\n');
        }
        return Parse(sb.ToString(), "model");
    }

    /// <summary>"N" for equal sizes, else "HxW": the spelling the parser reads back.</summary>
    internal static string PairText((int H, int W) p) =>
        p.H == p.W ? p.H.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{p.H}x{p.W}");

    /// <summary>A float that parses back to the same bits.</summary>
    internal static string FloatText(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A normalised spec text that parses back to the same model.</summary>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("input ").Append(InputImage?.ToString() ?? InputFeatures.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var l in Layers) sb.Append(l.Text).Append("    # -> ").Append(l.OutputShape).Append('\n');
        return sb.ToString();
    }

    private static ModelSpecLayer ParseLayer(LineContext ctx, string kind, string[] tokens, ref ImageShape? image, ref int features)
    {
        switch (kind)
        {
            case "conv":
            {
                ctx.Arity(tokens, 2, 2);
                var img = ctx.NeedImage(image, "conv", features);
                int k = ctx.PositiveInt(tokens[1], "filter count");
                var kernel = ctx.Pair(tokens[2], "kernel", allowZero: false);
                var opts = ctx.Options(tokens, 3, "stride", "pad", "dilation", "bias", "act");
                (int H, int W) stride = opts.TryGetValue("stride", out var s) ? ctx.Pair(s, "stride", false) : (1, 1);
                (int H, int W) pad = opts.TryGetValue("pad", out var p) ? ctx.Pair(p, "pad", true) : (0, 0);
                (int H, int W) dil = opts.TryGetValue("dilation", out var d) ? ctx.Pair(d, "dilation", false) : (1, 1);
                bool bias = !opts.TryGetValue("bias", out var b) || ctx.Bool(b, "bias");
                var act = ActivationKind.Identity;
                if (opts.TryGetValue("act", out var a))
                    act = ActivationOf(a.ToLowerInvariant()) ?? throw ctx.Error($"act={a}: expected relu, sigmoid, tanh or identity");
                int oh = ctx.OutSize(img.Height, kernel.H, stride.H, pad.H, dil.H, "conv", img, "height");
                int ow = ctx.OutSize(img.Width, kernel.W, stride.W, pad.W, dil.W, "conv", img, "width");
                var output = new ImageShape(k, oh, ow);
                image = output;
                features = checked((int)output.Length);
                return new ModelSpecLayer(ctx.Number, ctx.Text, kind, output.ToString())
                {
                    Units = k, Kernel = kernel, Stride = stride, Padding = pad, Dilation = dil, Bias = bias, Input = img, Activation = act,
                };
            }
            case "maxpool":
            case "avgpool":
            {
                ctx.Arity(tokens, 1, 1);
                var img = ctx.NeedImage(image, kind, features);
                var window = ctx.Pair(tokens[1], "window", allowZero: false);
                var opts = kind == "maxpool" ? ctx.Options(tokens, 2, "stride", "pad") : ctx.Options(tokens, 2, "stride", "pad", "count_pad");
                (int H, int W) stride = opts.TryGetValue("stride", out var s) ? ctx.Pair(s, "stride", false) : window;
                (int H, int W) pad = opts.TryGetValue("pad", out var p) ? ctx.Pair(p, "pad", true) : (0, 0);
                bool countPad = !opts.TryGetValue("count_pad", out var c) || ctx.Bool(c, "count_pad");
                if (pad.H >= window.H || pad.W >= window.W)
                    throw ctx.Error($"{kind} padding {pad.H}x{pad.W} must be smaller than the window {window.H}x{window.W}");
                int oh = ctx.OutSize(img.Height, window.H, stride.H, pad.H, 1, kind, img, "height");
                int ow = ctx.OutSize(img.Width, window.W, stride.W, pad.W, 1, kind, img, "width");
                var output = new ImageShape(img.Channels, oh, ow);
                image = output;
                features = checked((int)output.Length);
                return new ModelSpecLayer(ctx.Number, ctx.Text, kind, output.ToString())
                {
                    Kernel = window, Stride = stride, Padding = pad, CountIncludePad = countPad, Input = img,
                };
            }
            case "flatten":
                ctx.Arity(tokens, 0, 0);
                image = null;
                return new ModelSpecLayer(ctx.Number, ctx.Text, kind, features.ToString(CultureInfo.InvariantCulture));
            case "linear":
            {
                ctx.Arity(tokens, 1, 1);
                int units = ctx.PositiveInt(tokens[1], "output features");
                var opts = ctx.Options(tokens, 2, "bias");
                bool bias = !opts.TryGetValue("bias", out var b) || ctx.Bool(b, "bias");
                var layer = new ModelSpecLayer(ctx.Number, ctx.Text, kind, units.ToString(CultureInfo.InvariantCulture))
                {
                    Units = units, Bias = bias, InFeatures = features,
                };
                image = null;
                features = units;
                return layer;
            }
            case "dropout":
            {
                ctx.Arity(tokens, 1, 1);
                if (!float.TryParse(tokens[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float rate) || !(rate >= 0f && rate < 1f))
                    throw ctx.Error($"dropout rate '{tokens[1]}' must be a number in [0, 1)");
                var opts = ctx.Options(tokens, 2, "seed");
                ulong? dropSeed = null;
                if (opts.TryGetValue("seed", out var sd))
                    dropSeed = ulong.TryParse(sd, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : throw ctx.Error($"seed={sd}: expected a non-negative integer");
                return new ModelSpecLayer(ctx.Number, ctx.Text, kind, Describe(image, features)) { Rate = rate, Seed = dropSeed };
            }
            case "leaky-relu":
            case "prelu":
            {
                ctx.Arity(tokens, 0, 0);
                string key = kind == "prelu" ? "init" : "slope";
                var opts = ctx.Options(tokens, 1, key);
                float slope = kind == "prelu" ? 0.25f : 0.01f;
                if (opts.TryGetValue(key, out var sl) &&
                    !(float.TryParse(sl, NumberStyles.Float, CultureInfo.InvariantCulture, out slope) && float.IsFinite(slope)))
                    throw ctx.Error($"{key}={sl}: expected a finite number");
                return new ModelSpecLayer(ctx.Number, ctx.Text, kind, Describe(image, features)) { Slope = slope, InFeatures = features };
            }
            default: // activations keep the shape
                ctx.Arity(tokens, 0, 0);
                return new ModelSpecLayer(ctx.Number, ctx.Text, kind, Describe(image, features)) { InFeatures = features };
        }
    }

    internal static ActivationKind? ActivationOf(string kind) => kind switch
    {
        "relu" => ActivationKind.ReLU,
        "sigmoid" => ActivationKind.Sigmoid,
        "tanh" => ActivationKind.Tanh,
        "identity" => ActivationKind.Identity,
        _ => null,
    };

    private static string Describe(ImageShape? image, int features) =>
        image?.ToString() ?? features.ToString(CultureInfo.InvariantCulture);

    private static int Features(string shape) =>
        shape.Contains('x') ? checked((int)ImageShape.Parse(shape).Length) : int.Parse(shape, CultureInfo.InvariantCulture);

    /// <summary>Where a line is, and the checks that report against it.</summary>
    private readonly record struct LineContext(string Source, int Number, string Text)
    {
        public ModelSpecException Error(string reason) => new(Source, Number, Text, reason);

        /// <summary>Positional arguments after the keyword (options key=value come after them).</summary>
        public void Arity(string[] tokens, int min, int max)
        {
            int positional = 0;
            for (int i = 1; i < tokens.Length && !tokens[i].Contains('='); i++) positional++;
            if (positional < min || positional > max)
                throw Error(min == max
                    ? $"'{tokens[0]}' takes {min} argument{(min == 1 ? "" : "s")} before its options, got {positional}"
                    : $"'{tokens[0]}' takes {min} to {max} arguments, got {positional}");
        }

        public Dictionary<string, string> Options(string[] tokens, int start, params string[] allowed)
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int i = start; i < tokens.Length; i++)
            {
                int eq = tokens[i].IndexOf('=');
                if (eq <= 0 || eq == tokens[i].Length - 1)
                    throw Error($"'{tokens[i]}' is not an option key=value");
                string key = tokens[i][..eq].ToLowerInvariant();
                if (key == "padding") key = "pad";
                if (Array.IndexOf(allowed, key) < 0)
                    throw Error($"unknown option '{tokens[i][..eq]}' for {tokens[0]} (expected {string.Join(", ", allowed)})");
                if (!result.TryAdd(key, tokens[i][(eq + 1)..])) throw Error($"option '{key}' given twice");
            }
            return result;
        }

        public int PositiveInt(string token, string what)
        {
            if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v <= 0)
                throw Error($"{what} '{token}' must be a positive integer");
            return v;
        }

        /// <summary>"N" (both directions) or "HxW".</summary>
        public (int H, int W) Pair(string token, string what, bool allowZero)
        {
            var parts = token.Split('x', 'X');
            if (parts.Length is 1 or 2)
            {
                bool ok = int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int h);
                int w = h;
                if (parts.Length == 2) ok &= int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out w);
                if (ok && (allowZero ? h >= 0 && w >= 0 : h > 0 && w > 0)) return (h, w);
            }
            throw Error($"{what} '{token}' must be N or HxW with {(allowZero ? "non-negative" : "positive")} integers");
        }

        public bool Bool(string token, string what) => token.ToLowerInvariant() switch
        {
            "true" or "yes" or "1" => true,
            "false" or "no" or "0" => false,
            _ => throw Error($"{what}={token}: expected true or false"),
        };

        public ImageShape NeedImage(ImageShape? image, string kind, int features) =>
            image ?? throw Error($"{kind} needs an image input (CxHxW) but the previous layer outputs {features} flat features");

        /// <summary>(in + 2 pad - dilation (k - 1) - 1) / stride + 1, or the error naming the shapes.</summary>
        public int OutSize(int input, int k, int stride, int pad, int dilation, string kind, ImageShape inShape, string dim)
        {
            long span = (long)dilation * (k - 1) + 1;
            long padded = (long)input + 2L * pad;
            if (span > padded)
                throw Error($"{kind} {dim}: the {(dilation > 1 ? "dilated " : "")}kernel/window spans {span} but the input {inShape} padded by {pad} is only {padded}");
            return (int)((padded - span) / stride + 1);
        }
    }
}
