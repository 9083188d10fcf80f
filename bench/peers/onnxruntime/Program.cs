using System.Globalization;
using Hpc.Bench;
using Microsoft.ML.OnnxRuntime;

namespace Hpc.Bench.Peers.OnnxRuntime;

/// <summary>
/// ONNX Runtime peer: batch-1 latency of the MLP and LeNet that bench/peers/export_onnx.py exports,
/// each call timed with a Stopwatch (as Hpc.Bench --latency does), one JSON object per configuration
/// (peer "onnxruntime"). Inputs and outputs are preallocated and bound once (OrtIoBinding), the
/// fastest way ORT offers to run the same shapes again and again.
///   onnxruntime-peer --onnx DIR [--models mlp,lenet] [--threads 1 2] [--callers 8] [--quick]
/// --threads: intra-op thread counts, one caller. --callers N: N threads share one session
/// (intra-op threads 1, so the callers are the parallelism); 0 skips it.
/// </summary>
public static class Program
{
    private static readonly string[] AllModels = ["mlp", "lenet"];

    public static int Main(string[] args)
    {
        var threads = new List<int>();
        var models = new List<string>();
        string? dir = null;
        int callers = 8;
        bool quick = false;
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
                case "--onnx" when i + 1 < args.Length: dir = args[++i]; break;
                case "--callers" when i + 1 < args.Length && int.TryParse(args[i + 1], out int c) && c >= 0:
                    callers = c; i++;
                    break;
                case "--quick": quick = true; break;
                default:
                    Console.Error.WriteLine($"onnxruntime-peer: unknown argument '{args[i]}' " +
                        "(expected --onnx DIR, --models LIST, --threads N..., --callers N, --quick)");
                    return 2;
            }
        }
        if (dir is null)
        {
            Console.Error.WriteLine("onnxruntime-peer: --onnx DIR is required (the folder bench/peers/export_onnx.py wrote)");
            return 2;
        }
        if (threads.Count == 0) threads.AddRange([1, 2]);
        if (models.Count == 0) models.AddRange(AllModels);
        foreach (var m in models)
        {
            string path = Path.Combine(dir, m + ".onnx");
            if (!AllModels.Contains(m) || !File.Exists(path))
            {
                Console.Error.WriteLine($"onnxruntime-peer: no model '{m}' ({path} missing; models: {string.Join(',', AllModels)})");
                return 2;
            }
        }

        foreach (var m in models)
        {
            string path = Path.Combine(dir, m + ".onnx");
            int calls = m == "mlp" ? 5000 : 2000;
            if (quick) calls = Math.Max(50, calls / 50);
            foreach (int t in threads)
            {
                using var session = Open(path, t);
                using var caller = new BoundCall(session);
                Emit(m, "infer_b1", t, null, CallTimer.Time(caller.Run, calls, Math.Max(50, calls / 10)));
            }
            if (callers > 0)
            {
                using var session = Open(path, 1);
                var (ms, seconds) = CallTimer.Concurrent(callers, () =>
                {
                    var call = new BoundCall(session);
                    return (call.Run, call);
                }, calls / 2);
                Emit(m, "infer_b1_callers", 1,
                    string.Create(CultureInfo.InvariantCulture, $"\"callers\":{callers},\"calls_per_s\":{ms.Length / seconds:G6}"), ms);
            }
        }
        return 0;
    }

    private static InferenceSession Open(string path, int intraOpThreads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(path, options);
    }

    private static void Emit(string model, string bench, int threads, string? extra, double[] ms)
    {
        string more = extra is null ? "" : "," + extra;
        Console.WriteLine($"{{\"peer\":\"onnxruntime\",\"version\":\"{OrtEnv.Instance().GetVersionString()}\",\"model\":\"{model}\"," +
            $"\"bench\":\"{bench}\",\"batch\":1,\"threads\":{threads}{more},{CallTimer.StatsJson(ms)}}}");
    }
}
