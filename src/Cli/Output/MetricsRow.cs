using System.Globalization;

namespace Hpc.Cli.Output;

/// <summary>One epoch of `hpc train --metrics`: a CSV line and a point of the `--plot` curves.</summary>
internal sealed record MetricsRow(int Epoch, double Loss, double TrainAccuracy, double TestLoss, double TestAccuracy, double LearningRate, double SamplesPerSecond)
{
    public const string Header = "epoch,loss,train_accuracy,test_loss,test_accuracy,lr,samples_per_s";

    public string ToCsv() => string.Create(CultureInfo.InvariantCulture,
        $"{Epoch},{Loss:R},{TrainAccuracy:R},{TestLoss:R},{TestAccuracy:R},{(float)LearningRate:R},{SamplesPerSecond:F1}");

    /// <summary>The rows of an existing metrics file (a resumed run keeps the epochs before it); lines that do not parse are skipped.</summary>
    public static List<MetricsRow> ReadFile(string path)
    {
        var rows = new List<MetricsRow>();
        if (!File.Exists(path)) return rows;
        foreach (var line in File.ReadLines(path))
        {
            var f = line.Split(',');
            if (f.Length != 7 || !int.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int epoch)) continue;
            var v = new double[6];
            bool ok = true;
            for (int i = 0; i < 6; i++) ok &= double.TryParse(f[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]);
            if (ok) rows.Add(new MetricsRow(epoch, v[0], v[1], v[2], v[3], v[4], v[5]));
        }
        return rows;
    }

    public static string ToCsv(IEnumerable<MetricsRow> rows) => Header + "\n" + string.Concat(rows.Select(r => r.ToCsv() + "\n"));
}
