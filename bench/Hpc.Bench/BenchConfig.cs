using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Hpc.Nn;
using Perfolizer.Horology;

namespace Hpc.Bench;

/// <summary>
/// One configuration for every suite. In-process: the benchmarks call native code whose cost
/// dwarfs BenchmarkDotNet's harness, and rebuilding a child project per suite would take minutes
/// on this two-core machine. Short jobs (10 x 100 ms iterations) so the ~150 sgemm cases fit in a
/// few minutes; --quick is a smoke run (a few tiny iterations, numbers not meaningful).
/// </summary>
public static class BenchConfig
{
    /// <summary>Scalar sgemm is benchmarked up to this size (a 2048 cube would take seconds per call).</summary>
    public const int ScalarMaxSize = 512;

    /// <summary>Set by --quick before the suites are discovered: parameter sources shrink to their
    /// smallest cases so a smoke run of everything takes about a minute.</summary>
    public static bool Quick { get; set; }

    public static IConfig Create(bool quick)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1);
        job = quick
            ? job.WithWarmupCount(1).WithIterationCount(3).WithIterationTime(TimeInterval.FromMilliseconds(10)).WithId("quick")
            : job.WithWarmupCount(3).WithIterationCount(10).WithIterationTime(TimeInterval.FromMilliseconds(100)).WithId("hpc");

        return ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95, new GflopsColumn())
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(JsonExporter.Brief, MarkdownExporter.GitHub)
            .AddFilter(new SimpleFilter(IsWorthRunning))
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40))
            .WithOptions(ConfigOptions.DisableLogFile);
    }

    /// <summary>The scalar reference runs at about 1 GFLOP/s: it gets sgemm up to
    /// <see cref="ScalarMaxSize"/> and the first (smallest) convolution only, where one call takes
    /// a fraction of a second instead of several seconds.</summary>
    private static bool IsWorthRunning(BenchmarkDotNet.Running.BenchmarkCase bc)
    {
        if (bc.Parameters["Isa"] is not Isa.Scalar) return true;
        return bc.Parameters["Shape"] switch
        {
            GemmShape g => Math.Max(g.M, Math.Max(g.N, g.K)) <= ScalarMaxSize,
            ConvShape c => c.Name == ConvShape.All[0].Name,
            _ => true,
        };
    }
}
