using System.Diagnostics;
using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>
/// <c>--session</c>: batch-1 latency through <see cref="InferenceSession"/> (what an application
/// embedding a checkpoint calls), per call, median and p99, as JSON lines like --latency: one caller
/// with 1 and 2 kernel threads, then 8 caller threads sharing one session (1 kernel thread each).
/// Rounds alternate between the configurations so that load from other processes hits all alike.
/// Options: --quick, --isa NAME, --rounds N.
/// </summary>
public static class SessionLatency
{
    public static int Run(bool quick, string[] args)
    {
        Isa isa = Isa.Auto;
        int rounds = quick ? 1 : 5;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--isa" && i + 1 < args.Length) isa = Context.ParseIsa(args[++i]);
            else if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i]);
            else
            {
                Console.Error.WriteLine($"hpc-bench --session: unknown argument '{args[i]}' (expected --quick, --isa NAME, --rounds N)");
                return 2;
            }
        }
        string dir = Directory.CreateTempSubdirectory("hpc-session-bench-").FullName;
        try
        {
            foreach (var (name, make, calls) in new (string, Func<Sequential>, int)[]
            {
                ("mlp", () => Models.Mlp(Models.DefaultMlpSizes, seed: 42), quick ? 200 : 4000),
                ("lenet", () => Models.LeNet(seed: 42), quick ? 20 : 400),
            })
            {
                string path = Path.Combine(dir, name + ".hpc");
                using (var model = make()) model.Save(path);
                var input = new float[784];
                for (int i = 0; i < input.Length; i++) input[i] = (i * 37 % 255) / 255f;
                using var one = InferenceSession.Load(path, new InferenceOptions { Isa = isa, Threads = 1, MaxConcurrency = 1 });
                using var two = InferenceSession.Load(path, new InferenceOptions { Isa = isa, Threads = 2, MaxConcurrency = 1 });
                using var shared = InferenceSession.Load(path, new InferenceOptions { Isa = isa, Threads = 1, MaxConcurrency = 8 });
                var t1 = new List<double>();
                var t2 = new List<double>();
                var t8 = new List<double>();
                for (int r = 0; r < rounds; r++)
                {
                    t1.AddRange(Single(one, input, calls));
                    t2.AddRange(Single(two, input, calls));
                    t8.AddRange(Callers(shared, input, 8, Math.Max(1, calls / 8)));
                }
                string isaName = LatencyMode.IsaOf(isa);
                LatencyMode.Emit(name, "session_b1", 1, 1, isaName, [.. t1]);
                LatencyMode.Emit(name, "session_b1", 1, 2, isaName, [.. t2]);
                LatencyMode.Emit(name, "session_b1_8callers", 1, 1, isaName, [.. t8]);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return 0;
    }

    private static double[] Single(InferenceSession session, float[] input, int calls)
    {
        var output = new float[session.OutputFeatures];
        return CallTimer.Time(() => session.Predict(input, output), calls, Math.Max(20, calls / 10));
    }

    /// <summary>Every caller times each of its own calls; the figure includes waiting for a core.</summary>
    private static double[] Callers(InferenceSession session, float[] input, int callers, int callsEach)
    {
        var times = new double[callers][];
        using var start = new Barrier(callers);
        var threads = Enumerable.Range(0, callers).Select(c => new Thread(() =>
        {
            var output = new float[session.OutputFeatures];
            for (int i = 0; i < Math.Max(10, callsEach / 10); i++) session.Predict(input, output);
            start.SignalAndWait();
            var ms = new double[callsEach];
            for (int i = 0; i < callsEach; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                session.Predict(input, output);
                ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
            times[c] = ms;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return times.SelectMany(t => t).ToArray();
    }
}
