using OxyPlot;

namespace Hpc.Cli.Plots;

/// <summary>PNG rendering through SkiaSharp, kept apart so that SVG output never touches the native Skia library.</summary>
internal static class PngPlot
{
    public static byte[] Render(PlotModel model, int width, int height)
    {
        try
        {
            var exporter = new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height };
            using var ms = new MemoryStream();
            exporter.Export(model, ms);
            return ms.ToArray();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            throw new IOException("PNG output needs libSkiaSharp.so beside hpc (./build.sh build puts it in artifacts/); write .svg instead, which needs nothing", e);
        }
    }
}
