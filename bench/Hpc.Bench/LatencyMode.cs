using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>
/// <c>--latency</c>: times every single call with a Stopwatch, the way bench/peers/torch_*.py do
/// (perf_counter_ns around each call), and prints one JSON object per configuration with the
/// median and p99 (BenchmarkDotNet reports neither a per-call p99 nor comparable medians for
/// sub-microsecond jitter). These are the figures RESULTS.md puts next to PyTorch's.
/// Options: --quick (few calls), --threads 1 2, --isa NAME (default: AUTO's path), --callers N
/// (also N threads doing batch-1 inference at once, <see cref="CallersLatency"/>).
/// </summary>
public static class LatencyMode
{
    public static int Run(bool quick, string[] args)
    {
        var threads = new List<int>();
        Isa isa = Isa.Auto;
        int callers = 0;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads":
                    threads.AddRange(CallTimer.ReadInts(args, ref i));
                    break;
                case "--isa" when i + 1 < args.Length:
                    isa = Context.ParseIsa(args[++i]);
                    break;
                case "--callers" when i + 1 < args.Length && int.TryParse(args[i + 1], out int c) && c >= 0:
                    callers = c;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"hpc-bench --latency: unknown argument '{args[i]}' (expected --quick, --threads N..., --isa NAME, --callers N)");
                    return 2;
            }
        }
        if (threads.Count == 0) threads.AddRange([1, 2]);
        int steps = quick ? 10 : 300, calls = quick ? 100 : 5000;

        foreach (int t in threads)
        {
            foreach (int batch in new[] { 64, 128 })
            {
                using var mlp = new MlpFixture(isa, t, batch);
                Emit("mlp", "train_step", batch, t, IsaOf(isa), CallTimer.Time(() => mlp.Step(), steps, Math.Max(10, steps / 10)));
            }
            using (var mlp = new MlpFixture(isa, t, 1))
                Emit("mlp", "infer_b1", 1, t, IsaOf(isa), CallTimer.Time(() => mlp.Infer(), calls, Math.Max(100, calls / 10)));
            LeNetLatency.Run(isa, t, quick, Emit);
        }
        if (callers > 0) CallersLatency.Run(isa, callers, quick, (m, b, n, t, i, x, ms) => Emit(m, b, n, t, i, x, ms));
        return 0;
    }

    public delegate void Emitter(string model, string bench, int batch, int threads, string isa, double[] ms);

    /// <summary>As <see cref="Emitter"/>, with further JSON fields (already formatted) or null.</summary>
    public delegate void ExtraEmitter(string model, string bench, int batch, int threads, string isa, string? extra, double[] ms);

    public static string IsaOf(Isa isa)
    {
        using var ctx = new Context(isa);
        return Context.IsaName(ctx.Isa);
    }

    internal static void Emit(string model, string bench, int batch, int threads, string isa, double[] ms) =>
        Emit(model, bench, batch, threads, isa, null, ms);

    /// <summary><paramref name="extra"/>: further JSON fields, already formatted, or null.</summary>
    internal static void Emit(string model, string bench, int batch, int threads, string isa, string? extra, double[] ms)
    {
        string more = extra is null ? "," : $",{extra},";
        Console.WriteLine($"{{\"peer\":\"hpc\",\"model\":\"{model}\",\"bench\":\"{bench}\",\"batch\":{batch},\"threads\":{threads}," +
            $"\"isa\":\"{isa}\"{more}{CallTimer.StatsJson(ms)}}}");
    }
}
