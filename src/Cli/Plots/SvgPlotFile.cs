using OxyPlot;

namespace Hpc.Cli.Plots;

/// <summary>Writes an OxyPlot model as a standalone SVG file.</summary>
internal static class SvgPlotFile
{
    public static void Write(PlotModel model, string path, double width = 800, double height = 500)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir != null) Directory.CreateDirectory(dir);
        model.Background = OxyColors.White;
        // A font every Linux renderer has; Segoe UI (OxyPlot's default) falls back unpredictably.
        model.DefaultFont = "DejaVu Sans, Arial, sans-serif";
        using var stream = File.Create(path);
        // librsvg and several browsers ignore dominant-baseline="hanging", which puts titles and
        // tick labels a line too high; the workaround places text by explicit offsets instead.
        new SvgExporter { Width = width, Height = height, UseVerticalTextAlignmentWorkaround = true }.Export(model, stream);
    }
}
