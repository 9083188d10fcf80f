using Hpc.Nn;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace Hpc.Cli.Output;

/// <summary>The 2-D PCA projection of an embedding table as an SVG scatter plot with every word written at its point.</summary>
internal static class EmbeddingPlot
{
    public static void WriteSvg(string path, Embedding embedding, Vocabulary vocabulary)
    {
        if (!path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"--plot-embedding {path}: only .svg is written");
        int n = embedding.NumEmbeddings, d = embedding.Dim;
        var xy = Pca.Project(embedding.Weight.Value.AsSpan(), n, d, 2);
        var model = new PlotModel { Title = $"Word embedding ({n} words, D = {d}): first two principal components", Padding = new OxyThickness(8, 28, 8, 8) };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "PC 1" });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "PC 2" });
        var points = new ScatterSeries { MarkerType = MarkerType.Circle, MarkerSize = 1.5, MarkerFill = OxyColors.SteelBlue };
        for (int i = 0; i < n; i++)
        {
            points.Points.Add(new ScatterPoint(xy[2 * i], xy[2 * i + 1]));
            if (i < vocabulary.Count)
                model.Annotations.Add(new TextAnnotation
                {
                    Text = vocabulary.Words[i],
                    TextPosition = new DataPoint(xy[2 * i], xy[2 * i + 1]),
                    FontSize = 7,
                    Stroke = OxyColors.Transparent,
                    TextColor = OxyColors.Black,
                });
        }
        model.Series.Add(points);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        using var stream = File.Create(path);
        new SvgExporter { Width = 1200, Height = 900 }.Export(model, stream);
    }
}
