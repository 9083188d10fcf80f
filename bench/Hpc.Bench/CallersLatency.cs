using System.Diagnostics;
using System.Globalization;
using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>
/// <c>--latency --callers N</c>: N threads run batch-1 inference at the same time, every call timed
/// (the figure ONNX Runtime's peer gives for N callers sharing one session). Each caller owns a
/// model built from the same seed on its own one-thread Context, because a Sequential's forward
/// keeps per-layer buffers and is not safe to share: the rows measure latency and throughput with
/// the cores oversubscribed N-fold, not weight sharing (the "sharing" field says so).
/// </summary>
public static class CallersLatency
{
    public static void Run(Isa isa, int callers, bool quick, LatencyMode.ExtraEmitter emit)
    {
        Measure("mlp", () => new MlpFixture(isa, 1, 1), f => f.Infer(), callers, quick ? 50 : 2500, isa, emit);
        Measure("lenet", () => new LeNetFixture(isa, 1, 1), f => f.Infer(), callers, quick ? 25 : 1000, isa, emit);
    }

    private static void Measure<T>(string model, Func<T> create, Func<T, Tensor> infer, int callers, int callsEach, Isa isa,
        LatencyMode.ExtraEmitter emit) where T : IDisposable
    {
        var perCaller = new double[callers][];
        using var start = new Barrier(callers + 1);
        var threads = new Thread[callers];
        for (int c = 0; c < callers; c++)
        {
            int id = c;
            threads[c] = new Thread(() =>
            {
                using var fixture = create();
                for (int i = 0; i < Math.Max(20, callsEach / 10); i++) infer(fixture);
                start.SignalAndWait();
                perCaller[id] = LatencyMode.Time(() => infer(fixture), callsEach, 0);
            });
            threads[c].Start();
        }
        start.SignalAndWait();
        long t0 = Stopwatch.GetTimestamp();
        foreach (var t in threads) t.Join();
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        double[] ms = perCaller.SelectMany(x => x).ToArray();
        emit(model, "infer_b1_callers", 1, 1, LatencyMode.IsaOf(isa), string.Create(CultureInfo.InvariantCulture,
            $"\"callers\":{callers},\"sharing\":\"model per caller\",\"calls_per_s\":{ms.Length / seconds:G6}"), ms);
    }
}
