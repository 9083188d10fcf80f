using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Hpc.Bench;

/// <summary>
/// GFLOP/s from the median time of one call, for benchmarks with a parameter implementing
/// <see cref="IFlopCount"/>; "-" for the others.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Floating-point operations per second of one call, from its median time (1e9/s)";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double flops = FlopsOf(benchmarkCase);
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (flops <= 0 || stats is null || stats.Median <= 0) return "-";
        return (flops / stats.Median).ToString("F2", System.Globalization.CultureInfo.InvariantCulture); // flop/ns = GFLOP/s
    }

    /// <summary>The flop count of the case's <see cref="IFlopCount"/> parameter, 0 when it has none.</summary>
    public static double FlopsOf(BenchmarkCase benchmarkCase)
    {
        double flops = 0;
        foreach (var p in benchmarkCase.Parameters.Items)
            if (p.Value is IFlopCount f) flops = f.Flops;
        return flops;
    }
}
