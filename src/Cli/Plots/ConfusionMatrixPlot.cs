using System.Globalization;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace Hpc.Cli.Plots;

/// <summary>A confusion matrix as a heat map: true class down, predicted class across, counts written in the cells.</summary>
internal static class ConfusionMatrixPlot
{
    public static PlotModel Create(long[,] counts, string title)
    {
        int k = counts.GetLength(0);
        var model = new PlotModel { Title = title, Background = OxyColors.White };
        var labels = Enumerable.Range(0, k).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Bottom, Title = "predicted class", Key = "x", ItemsSource = labels, GapWidth = 0, AxisTitleDistance = 10 });
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Left, Title = "true class", Key = "y", ItemsSource = labels, GapWidth = 0, StartPosition = 1, EndPosition = 0, AxisTitleDistance = 12 });
        model.Axes.Add(new LinearColorAxis { Position = AxisPosition.Right, Palette = OxyPalette.Interpolate(200, OxyColors.White, OxyColors.SteelBlue, OxyColors.MidnightBlue), Minimum = 0, Maximum = 1, Title = "fraction of the true class", AxisTitleDistance = 8 });
        // Row-normalised colours (recall per class) so small classes are as readable as large ones.
        var data = new double[k, k];
        for (int t = 0; t < k; t++)
        {
            long row = 0;
            for (int p = 0; p < k; p++) row += counts[t, p];
            for (int p = 0; p < k; p++) data[p, t] = row == 0 ? 0 : (double)counts[t, p] / row;
        }
        model.Series.Add(new HeatMapSeries
        {
            X0 = 0, X1 = k - 1, Y0 = 0, Y1 = k - 1, Data = data, Interpolate = false, RenderMethod = HeatMapRenderMethod.Rectangles,
            XAxisKey = "x", YAxisKey = "y",
        });
        for (int t = 0; t < k; t++)
            for (int p = 0; p < k; p++)
                model.Annotations.Add(new TextAnnotation
                {
                    Text = counts[t, p].ToString(CultureInfo.InvariantCulture),
                    TextPosition = new DataPoint(p, t),
                    TextHorizontalAlignment = HorizontalAlignment.Center,
                    TextVerticalAlignment = VerticalAlignment.Middle,
                    Stroke = OxyColors.Undefined,
                    TextColor = data[p, t] > 0.5 ? OxyColors.White : OxyColors.Black,
                    XAxisKey = "x",
                    YAxisKey = "y",
                });
        return model;
    }
}
