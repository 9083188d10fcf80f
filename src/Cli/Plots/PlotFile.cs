using OxyPlot;
using Hpc.Nn;

namespace Hpc.Cli.Plots;

/// <summary>
/// Writes an OxyPlot model to a picture file chosen by its extension: .svg through OxyPlot.Core's
/// managed SVG exporter, .png through OxyPlot.SkiaSharp (its native libSkiaSharp.so is loaded only
/// then). Every write is atomic. The one place the CLI's plots (training curves, confusion
/// matrices, spike rasters, ...) turn into files.
/// </summary>
internal static class PlotFile
{
    public static readonly string[] Extensions = [".svg", ".png"];

    /// <summary>Refuses, before any work, a path whose extension is not a supported picture format.</summary>
    public static void CheckPath(string path, string option)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (Array.IndexOf(Extensions, ext) < 0)
            throw new UsageException($"{option} {path}: the file name must end in .svg or .png");
    }

    public static void Save(PlotModel model, string path, int width = 800, int height = 500)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (model.Background == OxyColors.Undefined) model.Background = OxyColors.White;
        if (ext == ".svg")
        {
            // Text is laid out with Arial's metrics (the fonts OxyPlot can measure); the
            // workaround places text by its baseline, which every SVG renderer honours.
            model.DefaultFont = "Arial";
            var svg = new SvgExporter { Width = width, Height = height, UseVerticalTextAlignmentWorkaround = true };
            using var ms = new MemoryStream();
            svg.Export(model, ms);
            AtomicFile.WriteAllBytes(path, ms.ToArray());
        }
        else if (ext == ".png")
        {
            AtomicFile.WriteAllBytes(path, PngPlot.Render(model, width, height));
        }
        else
        {
            throw new UsageException($"{path}: the file name must end in .svg or .png");
        }
    }
}
