using Hpc.Bench;
using TorchSharp;
using static TorchSharp.torch;

namespace Hpc.Bench.Peers.TorchSharp;

/// <summary>
/// TorchSharp (libtorch CPU) peer: times every call with a Stopwatch, as Hpc.Bench --latency and
/// bench/peers/torch_*.py do, and prints one JSON object per configuration (peer "torchsharp").
/// Run through the launcher bench/peers/torchsharp/setup.sh writes (build/peers/bin/torchsharp-peer):
/// libtorch 2.10 needs Debian 13's C/C++ runtime, which the launcher supplies.
///   torchsharp-peer [--models mlp,lenet,nlm,char_lstm,lstm] [--threads 1 2] [--steps N] [--calls N] [--quick] [--self-test]
/// --steps / --calls: timed training steps / batch-1 inferences per configuration instead of each
/// model's default (as bench/peers/torch_*.py's options of the same names).
/// </summary>
public static class Program
{
    private static readonly string[] AllModels = ["mlp", "lenet", "nlm", "char_lstm", "lstm"];

    public static int Main(string[] args)
    {
        var threads = new List<int>();
        var models = new List<string>();
        bool quick = false, selfTest = false;
        int? steps = null, calls = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads":
                    threads.AddRange(CallTimer.ReadInts(args, ref i));
                    break;
                case "--models" when i + 1 < args.Length:
                    models.AddRange(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries));
                    break;
                case "--steps" when i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0:
                    steps = n; i++;
                    break;
                case "--calls" when i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0:
                    calls = n; i++;
                    break;
                case "--quick": quick = true; break;
                case "--self-test": selfTest = true; break;
                default:
                    Console.Error.WriteLine($"torchsharp-peer: unknown argument '{args[i]}' " +
                        "(expected --models LIST, --threads N..., --steps N, --calls N, --quick, --self-test)");
                    return 2;
            }
        }
        if (selfTest) return SelfTest();
        if (threads.Count == 0) threads.AddRange([1, 2]);
        if (models.Count == 0) models.AddRange(AllModels);
        foreach (var m in models)
        {
            if (!AllModels.Contains(m))
            {
                Console.Error.WriteLine($"torchsharp-peer: unknown model '{m}' (one of {string.Join(',', AllModels)})");
                return 2;
            }
        }

        torch.manual_seed(0);
        foreach (int t in threads)
        {
            torch.set_num_threads(t);
            foreach (var m in models)
            {
                foreach (var bench in PeerModels.Create(m))
                {
                    using (bench)
                    {
                        int n = (bench.Bench == "infer_b1" ? calls : steps) ?? bench.Calls;
                        if (quick) n = Math.Max(3, n / 30);
                        int warmup = quick ? 2 : Math.Max(3, n / 10);
                        GC.Collect();
                        Emit(bench, t, CallTimer.Time(bench.Call, n, warmup));
                    }
                }
            }
        }
        return 0;
    }

    /// <summary>libtorch loads, computes a small product right, and reports its version.</summary>
    private static int SelfTest()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.ones(2, 3);
        var b = torch.full(3, 4, 0.5f);
        float s = torch.mm(a, b).sum().item<float>();
        Console.WriteLine($"torchsharp {TorchSharpVersion}, libtorch {LibTorchVersion}, threads {torch.get_num_threads()}, sum {s}");
        return s == 12f ? 0 : 1;
    }

    private static string TorchSharpVersion =>
        typeof(torch).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "unknown";

    private static string LibTorchVersion => torch.__version__;

    private static void Emit(PeerBench b, int threads, double[] ms)
    {
        string extra = b.Extra is null ? "" : "," + b.Extra;
        Console.WriteLine($"{{\"peer\":\"torchsharp\",\"version\":\"{TorchSharpVersion}\",\"libtorch\":\"{LibTorchVersion}\"," +
            $"\"model\":\"{b.Model}\",\"bench\":\"{b.Bench}\",\"batch\":{b.Batch},\"threads\":{threads}{extra},{CallTimer.StatsJson(ms)}}}");
    }
}
