using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using Hpc.Cli.Output;

namespace Hpc.Cli.Plots;

/// <summary>Loss (left axis) and accuracy (right axis, %) per epoch of a training run.</summary>
internal static class TrainingCurves
{
    public static PlotModel Create(IReadOnlyList<MetricsRow> rows, string title)
    {
        var model = new PlotModel { Title = title, Background = OxyColors.White };
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.BottomCenter, LegendPlacement = LegendPlacement.Outside, LegendOrientation = LegendOrientation.Horizontal, LegendItemSpacing = 48 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "epoch", AxisTitleDistance = 10, Minimum = 0.5, Maximum = Math.Max(1, rows.Count == 0 ? 1 : rows[^1].Epoch) + 0.5, MajorStep = Step(rows.Count), MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "loss", AxisTitleDistance = 10, Key = "loss", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Right, Title = "accuracy (%)", AxisTitleDistance = 10, Key = "acc", Maximum = 100 });
        var loss = new LineSeries { Title = "train loss", YAxisKey = "loss", Color = OxyColors.Firebrick, MarkerType = MarkerType.Circle, MarkerSize = 3 };
        var testLoss = new LineSeries { Title = "test loss", YAxisKey = "loss", Color = OxyColors.Firebrick, LineStyle = LineStyle.Dash, MarkerType = MarkerType.Square, MarkerSize = 3 };
        var train = new LineSeries { Title = "train acc.", YAxisKey = "acc", Color = OxyColors.SteelBlue, MarkerType = MarkerType.Circle, MarkerSize = 3 };
        var test = new LineSeries { Title = "test acc.", YAxisKey = "acc", Color = OxyColors.SteelBlue, LineStyle = LineStyle.Dash, MarkerType = MarkerType.Square, MarkerSize = 3 };
        foreach (var r in rows)
        {
            loss.Points.Add(new DataPoint(r.Epoch, r.Loss));
            train.Points.Add(new DataPoint(r.Epoch, 100 * r.TrainAccuracy));
            if (double.IsFinite(r.TestLoss)) testLoss.Points.Add(new DataPoint(r.Epoch, r.TestLoss));
            if (double.IsFinite(r.TestAccuracy)) test.Points.Add(new DataPoint(r.Epoch, 100 * r.TestAccuracy));
        }
        model.Series.Add(loss);
        if (testLoss.Points.Count > 0) model.Series.Add(testLoss);
        model.Series.Add(train);
        if (test.Points.Count > 0) model.Series.Add(test);
        return model;
    }

    private static double Step(int epochs) => epochs <= 10 ? 1 : Math.Ceiling(epochs / 10.0);
}
