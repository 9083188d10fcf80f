using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace Hpc.Cli.Plots;

/// <summary>A spike raster: one dot per spike at (time, neuron) for the first neurons of a population.</summary>
internal static class RasterPlot
{
    public static PlotModel Create(string title, ReadOnlySpan<float> times, ReadOnlySpan<int> neurons, int shownNeurons, double seconds)
    {
        var model = new PlotModel { Title = title };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "time (s)", Minimum = 0, Maximum = seconds, AxisTitleDistance = 10 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "neuron", Minimum = -0.5, Maximum = shownNeurons - 0.5, AxisTitleDistance = 10 });
        var dots = new ScatterSeries { MarkerType = MarkerType.Square, MarkerSize = 0.9, MarkerFill = OxyColors.Black };
        for (int k = 0; k < times.Length; k++)
            if (neurons[k] < shownNeurons) dots.Points.Add(new ScatterPoint(times[k], neurons[k]));
        model.Series.Add(dots);
        return model;
    }
}
