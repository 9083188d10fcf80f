using System.Globalization;
using Hpc.Nn;
using StbImageSharp;

namespace Hpc.Cli.Inputs;

/// <summary>One sample to classify and where it came from.</summary>
internal sealed record Sample(string Source, int Index, float[] Values);

/// <summary>
/// `hpc predict` inputs: IDX image files (every image), CSV files (one sample per row of
/// numbers; a header line is skipped), PNG/JPEG/BMP images (decoded with StbImageSharp,
/// converted to grey, scaled to the model's input and to [0, 1]).
/// </summary>
internal static class PredictionInputs
{
    public static IEnumerable<Sample> Read(string path, int features, ImageShape? image, bool invert)
    {
        if (Directory.Exists(path)) throw new IOException($"{path}: is a directory; give IDX, CSV or image files");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".csv" => ReadCsv(path, features),
            ".png" or ".jpg" or ".jpeg" or ".bmp" => [ReadImage(path, features, image, invert)],
            _ => ReadIdx(path, features),
        };
    }

    private static IEnumerable<Sample> ReadIdx(string path, int features)
    {
        var images = Idx.ReadImages(path);
        if (images.PixelsPerImage != features)
            throw new InvalidDataException($"{path}: images of {images.Rows}x{images.Cols} = {images.PixelsPerImage} pixels; the model takes {features} values");
        for (int i = 0; i < images.Count; i++)
        {
            var v = new float[features];
            for (int p = 0; p < features; p++) v[p] = images.Pixels[i * features + p] / 255f;
            yield return new Sample(path, i, v);
        }
    }

    private static IEnumerable<Sample> ReadCsv(string path, int features)
    {
        int lineNo = 0, index = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNo++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            var v = new float[fields.Length];
            bool numeric = true;
            for (int i = 0; i < fields.Length && numeric; i++)
                numeric = float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) && float.IsFinite(v[i]);
            if (!numeric)
            {
                if (index == 0 && lineNo == 1) continue; // a header
                throw new InvalidDataException($"{path}:{lineNo}: not a row of finite numbers");
            }
            if (v.Length != features)
                throw new InvalidDataException($"{path}:{lineNo}: {v.Length} values; the model takes {features}");
            yield return new Sample(path, index++, v);
        }
    }

    private static Sample ReadImage(string path, int features, ImageShape? shape, bool invert)
    {
        if (shape is not { Channels: 1 } s || s.Length != features)
        {
            int side = (int)Math.Round(Math.Sqrt(features));
            if (side * side != features) throw new InvalidDataException($"{path}: the model takes {features} values, not a square grey image");
            s = new ImageShape(1, side, side);
        }
        ImageResult img;
        try
        {
            using var stream = File.OpenRead(path);
            img = ImageResult.FromStream(stream, ColorComponents.Grey);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: not a readable image ({e.Message})");
        }
        return new Sample(path, 0, Scale(img.Data, img.Width, img.Height, s.Height, s.Width, invert));
    }

    /// <summary>Area-averaged resampling to h x w, values in [0, 1] (inverted for dark-on-light pictures).</summary>
    internal static float[] Scale(byte[] grey, int width, int height, int h, int w, bool invert)
    {
        var result = new float[h * w];
        for (int y = 0; y < h; y++)
        {
            double y0 = (double)y * height / h, y1 = (double)(y + 1) * height / h;
            for (int x = 0; x < w; x++)
            {
                double x0 = (double)x * width / w, x1 = (double)(x + 1) * width / w;
                double sum = 0, area = 0;
                for (int sy = (int)y0; sy < Math.Min(height, (int)Math.Ceiling(y1)); sy++)
                {
                    double wy = Math.Min(y1, sy + 1) - Math.Max(y0, sy);
                    for (int sx = (int)x0; sx < Math.Min(width, (int)Math.Ceiling(x1)); sx++)
                    {
                        double wx = Math.Min(x1, sx + 1) - Math.Max(x0, sx);
                        sum += wx * wy * grey[sy * width + sx];
                        area += wx * wy;
                    }
                }
                float v = (float)(sum / area / 255.0);
                result[y * w + x] = invert ? 1f - v : v;
            }
        }
        return result;
    }
}
