namespace Hpc.Nn;

/// <summary>
/// Label-preserving image augmentation (seed 001 section 11, seed 004): each image is shifted by
/// up to <see cref="MaxShift"/> pixels and rotated by up to <see cref="MaxRotationDegrees"/> about
/// its centre, bilinearly resampled, with zero (background) outside. Seeded: the same seed gives
/// the same transformations.
/// </summary>
public sealed class Augmentation
{
    private readonly Rng _rng;

    public Augmentation(int height = 28, int width = 28, int maxShift = 2, float maxRotationDegrees = 10f, ulong seed = 0)
    {
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, $"height must be > 0, got {height}");
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, $"width must be > 0, got {width}");
        if (maxShift < 0 || maxShift >= Math.Min(height, width))
            throw new ArgumentOutOfRangeException(nameof(maxShift), maxShift, $"maxShift must be in [0, {Math.Min(height, width)}), got {maxShift}");
        if (!float.IsFinite(maxRotationDegrees) || maxRotationDegrees < 0 || maxRotationDegrees > 45)
            throw new ArgumentOutOfRangeException(nameof(maxRotationDegrees), maxRotationDegrees, $"maxRotationDegrees must be in [0, 45] (small rotations keep the label), got {maxRotationDegrees}");
        Height = height;
        Width = width;
        MaxShift = maxShift;
        MaxRotationDegrees = maxRotationDegrees;
        _rng = new Rng(seed);
    }

    public int Height { get; }
    public int Width { get; }
    public int MaxShift { get; }
    public float MaxRotationDegrees { get; }

    /// <summary>Writes a randomly shifted and rotated copy of <paramref name="image"/> into <paramref name="output"/> (must not overlap).</summary>
    public void Apply(ReadOnlySpan<float> image, Span<float> output)
    {
        int dx = MaxShift == 0 ? 0 : _rng.NextInt(2 * MaxShift + 1) - MaxShift;
        int dy = MaxShift == 0 ? 0 : _rng.NextInt(2 * MaxShift + 1) - MaxShift;
        double angle = (2 * _rng.NextDouble() - 1) * MaxRotationDegrees * Math.PI / 180;
        Transform(image, output, Height, Width, dx, dy, angle);
    }

    /// <summary>
    /// Shifts by (dx, dy) pixels (positive = right, down) and rotates by <paramref name="radians"/>
    /// (counter-clockwise on screen) about the centre; exact for angle 0 and integer shifts.
    /// </summary>
    public static void Transform(ReadOnlySpan<float> image, Span<float> output, int height, int width, int dx, int dy, double radians)
    {
        long n = (long)height * width;
        if (image.Length != n) throw new ArgumentException($"image has {image.Length} pixels, {height}x{width} needs {n}", nameof(image));
        if (output.Length != n) throw new ArgumentException($"output has {output.Length} pixels, {height}x{width} needs {n}", nameof(output));
        if (!double.IsFinite(radians)) throw new ArgumentOutOfRangeException(nameof(radians), radians, "angle must be finite");
        double cy = (height - 1) / 2.0, cx = (width - 1) / 2.0;
        double cos = Math.Cos(radians), sin = Math.Sin(radians);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                // Inverse map: undo the shift, then the rotation (screen y points down).
                double ux = x - dx - cx, uy = y - dy - cy;
                double sx = cos * ux - sin * uy + cx;
                double sy = sin * ux + cos * uy + cy;
                output[y * width + x] = Sample(image, height, width, sx, sy);
            }
        }
    }

    /// <summary>Augments every image row of <paramref name="data"/> (labels unchanged) into a new data set.</summary>
    public Dataset ApplyTo(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != Height * Width)
            throw new ArgumentException($"rows have {data.FeatureCount} features, {Height}x{Width} images need {Height * Width}", nameof(data));
        var features = new float[data.Features.Length];
        for (int i = 0; i < data.Count; i++) Apply(data.Row(i), features.AsSpan(i * data.FeatureCount, data.FeatureCount));
        return new Dataset(features, (int[])data.Labels.Clone(), data.FeatureCount, data.Classes);
    }

    private static float Sample(ReadOnlySpan<float> image, int height, int width, double sx, double sy)
    {
        int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
        double fx = sx - x0, fy = sy - y0;
        double v = Pixel(image, height, width, x0, y0) * (1 - fx) * (1 - fy)
                 + Pixel(image, height, width, x0 + 1, y0) * fx * (1 - fy)
                 + Pixel(image, height, width, x0, y0 + 1) * (1 - fx) * fy
                 + Pixel(image, height, width, x0 + 1, y0 + 1) * fx * fy;
        return (float)v;
    }

    private static float Pixel(ReadOnlySpan<float> image, int height, int width, int x, int y)
        => (uint)x < (uint)width && (uint)y < (uint)height ? image[y * width + x] : 0f;
}
