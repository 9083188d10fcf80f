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
        var (ms, seconds) = CallTimer.Concurrent(callers, () =>
        {
            var fixture = create();
            return (() => infer(fixture), fixture);
        }, callsEach);
        emit(model, "infer_b1_callers", 1, 1, LatencyMode.IsaOf(isa), string.Create(CultureInfo.InvariantCulture,
            $"\"callers\":{callers},\"sharing\":\"model per caller\",\"calls_per_s\":{ms.Length / seconds:G6}"), ms);
    }
}
