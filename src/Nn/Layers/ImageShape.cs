namespace Hpc.Nn;

/// <summary>
/// The per-sample shape C x H x W of an NCHW image batch. Spatial layers (<see cref="Conv2d"/>,
/// <see cref="MaxPool2d"/>, <see cref="AvgPool2d"/>) read it from a rank-4 input; a rank-2 input
/// [N, C*H*W] (what a data set batch or an element-wise activation produces) is read with the
/// layer's configured <c>InputShape</c>.
/// </summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Values per sample, C * H * W.</summary>
    public long Length => (long)Channels * Height * Width;

    /// <summary>Parses "CxHxW" (e.g. "1x28x28"); FormatException naming the text otherwise.</summary>
    public static ImageShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('x', 'X');
        if (parts.Length == 3 && int.TryParse(parts[0], out int c) && int.TryParse(parts[1], out int h) &&
            int.TryParse(parts[2], out int w) && c > 0 && h > 0 && w > 0)
            return new ImageShape(c, h, w);
        throw new FormatException($"'{text}' is not an image shape CxHxW with positive sizes (e.g. 1x28x28)");
    }

    public override string ToString() => $"{Channels}x{Height}x{Width}";

    /// <summary>
    /// The batch size and image shape of <paramref name="x"/> as seen by <paramref name="layer"/>:
    /// a rank-4 tensor gives its own; otherwise <paramref name="configured"/> must match the row length.
    /// </summary>
    internal static (int Batch, ImageShape Shape) Resolve(Module layer, Tensor x, ImageShape? configured)
    {
        ArgumentNullException.ThrowIfNull(x);
        var s = x.Shape;
        if (s.Length == 4)
        {
            var shape = new ImageShape(s[1], s[2], s[3]);
            if (configured is { } c && c != shape)
                throw new ArgumentException($"{layer.Name}: input {x.ShapeString()} does not match the configured input shape {c}", nameof(x));
            return (s[0], shape);
        }
        if (configured is { } cfg)
        {
            if (x.Cols != cfg.Length)
                throw new ArgumentException($"{layer.Name}: input {x.ShapeString()} has {x.Cols} values per sample, the configured input shape {cfg} needs {cfg.Length}", nameof(x));
            return (x.Rows, cfg);
        }
        throw new ArgumentException($"{layer.Name}: input {x.ShapeString()} is not an N x C x H x W tensor; pass a rank-4 tensor or set the layer's InputShape", nameof(x));
    }
}
