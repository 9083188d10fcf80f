using System.Globalization;
using Hpc.Nn;

namespace Hpc.Cli.Output;

/// <summary>The text of per-epoch and summary lines, shared by the live and the plain view so both say the same.</summary>
internal static class TrainingFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Epoch(EpochMetrics m)
    {
        int width = m.Epochs.ToString(Inv).Length;
        string epoch = $"{m.Epoch.ToString(Inv).PadLeft(width)}/{m.Epochs}";
        return string.Create(Inv,
            $"epoch {epoch}  loss {m.Loss:F4}  train {Percent(m.TrainAccuracy)}  test {Percent(m.TestAccuracy)}  {Rate(m.SamplesPerSecond)} samples/s  {m.Elapsed.TotalSeconds:F1} s");
    }

    public static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "   n/a" : (fraction * 100).ToString("F2", Inv).PadLeft(5) + "%";

    public static string Rate(double perSecond) => perSecond.ToString("N0", Inv).PadLeft(6);

    /// <summary>"1 epoch", "2 epochs".</summary>
    public static string Plural(long n, string noun) => $"{Count(n)} {noun}{(n == 1 ? "" : "s")}";

    public static string Count(long n) => n.ToString("N0", Inv);
}
