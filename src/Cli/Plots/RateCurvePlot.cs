using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace Hpc.Cli.Plots;

/// <summary>Firing rate against input: the simulated points and, when given, a closed-form curve beside them.</summary>
internal static class RateCurvePlot
{
    public static PlotModel Create(string title, string inputTitle, IReadOnlyList<double> inputs, IReadOnlyList<double> rates,
        string simulatedLabel, Func<double, double>? closedForm, string? closedFormLabel)
    {
        // The key goes in the subtitle, not a legend: OxyPlot's SVG export sizes a legend box from
        // its own text metrics and clips labels that render wider in the viewer's font.
        var model = new PlotModel
        {
            Title = title,
            TitlePadding = 10,
            SubtitleFontSize = 11,
            Subtitle = closedForm != null ? $"line: {closedFormLabel}; dots: {simulatedLabel}" : $"dots: {simulatedLabel}",
        };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = inputTitle, AxisTitleDistance = 10 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "firing rate (Hz)", Minimum = 0, AxisTitleDistance = 10 });
        if (closedForm != null)
        {
            double lo = inputs[0], hi = inputs[^1];
            var curve = new LineSeries { Color = OxyColors.SteelBlue, StrokeThickness = 2 };
            for (int k = 0; k <= 400; k++)
            {
                double x = lo + (hi - lo) * k / 400.0;
                curve.Points.Add(new DataPoint(x, closedForm(x)));
            }
            model.Series.Add(curve);
        }
        var sim = new ScatterSeries { MarkerType = MarkerType.Circle, MarkerSize = 3.5, MarkerFill = OxyColors.OrangeRed };
        for (int k = 0; k < inputs.Count; k++) sim.Points.Add(new ScatterPoint(inputs[k], rates[k]));
        model.Series.Add(sim);
        return model;
    }
}
