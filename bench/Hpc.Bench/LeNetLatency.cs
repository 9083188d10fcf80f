using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>LeNet rows of --latency mode: the batch-64 training step and batch-1 inference.</summary>
public static class LeNetLatency
{
    public static void Run(Isa isa, int threads, bool quick, LatencyMode.Emitter emit)
    {
        int steps = quick ? 3 : 60, calls = quick ? 50 : 2000;
        using (var net = new LeNetFixture(isa, threads, 64))
            emit("lenet", "train_step", 64, threads, LatencyMode.IsaOf(isa), CallTimer.Time(() => net.Step(), steps, Math.Max(3, steps / 10)));
        using (var net = new LeNetFixture(isa, threads, 1))
            emit("lenet", "infer_b1", 1, threads, LatencyMode.IsaOf(isa), CallTimer.Time(() => net.Infer(), calls, Math.Max(50, calls / 10)));
    }
}
