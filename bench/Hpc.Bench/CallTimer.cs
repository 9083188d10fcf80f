using System.Diagnostics;
using System.Globalization;

namespace Hpc.Bench;

/// <summary>
/// Per-call wall-clock timing shared by Hpc.Bench --latency and the .NET peers (bench/peers/torchsharp,
/// bench/peers/onnxruntime link this file), so every side's median and p99 come from the same code
/// and the same definitions as bench/peers/torch_common.py (p99 = the sorted sample at round(0.99 (n - 1))).
/// </summary>
public static class CallTimer
{
    /// <summary>Per-call times in milliseconds after <paramref name="warmup"/> untimed calls.</summary>
    public static double[] Time(Action call, int n, int warmup)
    {
        for (int i = 0; i < warmup; i++) call();
        var ms = new double[n];
        for (int i = 0; i < n; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            call();
            ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        return ms;
    }

    /// <summary>
    /// <paramref name="callers"/> threads call at once: each builds its own state on its own thread
    /// (<paramref name="setup"/> returns the call and what owns its state), warms up, waits for the
    /// others, then times <paramref name="callsEach"/> calls. Returns every call's time and the wall
    /// time of the timed part.
    /// </summary>
    public static (double[] Ms, double Seconds) Concurrent(int callers, Func<(Action Call, IDisposable Owner)> setup, int callsEach)
    {
        var perCaller = new double[callers][];
        using var start = new Barrier(callers + 1);
        var threads = new Thread[callers];
        for (int c = 0; c < callers; c++)
        {
            int id = c;
            threads[c] = new Thread(() =>
            {
                var (call, owner) = setup();
                using (owner)
                {
                    for (int i = 0; i < Math.Max(20, callsEach / 10); i++) call();
                    start.SignalAndWait();
                    perCaller[id] = Time(call, callsEach, 0);
                }
            });
            threads[c].Start();
        }
        start.SignalAndWait();
        long t0 = Stopwatch.GetTimestamp();
        foreach (var t in threads) t.Join();
        return (perCaller.SelectMany(x => x).ToArray(), Stopwatch.GetElapsedTime(t0).TotalSeconds);
    }

    /// <summary>The JSON fields median_ms, p99_ms, mean_ms, min_ms, n of <paramref name="ms"/> (sorted in place).</summary>
    public static string StatsJson(double[] ms)
    {
        Array.Sort(ms);
        double median = ms.Length % 2 == 1 ? ms[ms.Length / 2] : (ms[ms.Length / 2 - 1] + ms[ms.Length / 2]) / 2;
        double p99 = ms[Math.Min(ms.Length - 1, (int)Math.Round(0.99 * (ms.Length - 1)))];
        return string.Create(CultureInfo.InvariantCulture,
            $"\"median_ms\":{median:G6},\"p99_ms\":{p99:G6},\"mean_ms\":{ms.Average():G6},\"min_ms\":{ms[0]:G6},\"n\":{ms.Length}");
    }

    /// <summary>The integers following <c>args[i]</c> (e.g. after --threads); advances <paramref name="i"/> past them.</summary>
    public static List<int> ReadInts(string[] args, ref int i)
    {
        var values = new List<int>();
        while (i + 1 < args.Length && int.TryParse(args[i + 1], out int v)) { values.Add(v); i++; }
        return values;
    }
}
