using System.Diagnostics;
using System.Globalization;
using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>
/// The neural language model's training step (K = 250, D = 16, H = 180, three context words,
/// batch 100, SGD 0.1 / 0.9, N(0, 0.1^2) weights) on one fixed random batch, timed call by call:
/// <c>Hpc.Bench --nlm-step [--threads 1 2] [--steps N]</c> prints one JSON line per thread count
/// with the median and p10 / p90 in ms. bench/peers/torch_nlm.py times the identical model;
/// bench/nlm_alternate.sh runs the two in alternating rounds.
/// </summary>
public static class NlmStep
{
    public static int Run(string[] args)
    {
        var threads = new List<int>();
        int steps = 3000;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--threads") while (i + 1 < args.Length && int.TryParse(args[i + 1], out int t)) { threads.Add(t); i++; }
            else if (args[i] == "--steps" && i + 1 < args.Length) steps = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else { Console.Error.WriteLine($"Hpc.Bench --nlm-step: unknown argument '{args[i]}'"); return 2; }
        }
        if (threads.Count == 0) threads.AddRange([1, 2]);
        foreach (int t in threads) Console.WriteLine(Measure(t, steps));
        return 0;
    }

    private static string Measure(int threads, int steps)
    {
        const int batch = 100, k = 250;
        using var ctx = new Context(Isa.Auto, threads);
        using var model = new NeuralLanguageModel(k, 3, 16, 180, ctx);
        model.InitializeNormal(0.1, new Rng(1));
        using var sgd = new Sgd(model.Parameters(), 0.1f, 0.9f, ctx: ctx);
        var loss = new CrossEntropyLoss(ctx);
        var rng = new Rng(7);
        using var x = new Tensor(batch, 3);
        var xs = x.AsSpan();
        for (int i = 0; i < xs.Length; i++) xs[i] = rng.NextInt(k);
        var labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = rng.NextInt(k);
        float Step()
        {
            float l = loss.Forward(model.Forward(x, training: true), labels);
            model.Backward(loss.Backward(), computeInputGradient: false);
            sgd.Step();
            return l;
        }
        for (int i = 0; i < 300; i++) Step();
        var ms = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Step();
            ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(ms);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"impl\": \"hpc\", \"bench\": \"nlm_step\", \"threads\": {threads}, \"batch\": {batch}, \"steps\": {steps}, \"median_ms\": {ms[steps / 2]:F4}, \"p10_ms\": {ms[steps / 10]:F4}, \"p90_ms\": {ms[steps * 9 / 10]:F4}, \"isa\": \"{Context.IsaName(ctx.Isa)}\"}}");
    }
}
