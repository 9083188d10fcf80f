using System.Diagnostics;
using System.Globalization;
using Hpc.Nn;

namespace Hpc.Bench;

/// <summary>
/// <c>--breakdown</c>: where a training step's time goes, layer by layer (forward and backward
/// separately), the loss and the optimizer update: the median over the timed steps of each part,
/// printed as a markdown table. Runs the same loop as Sequential.Forward/Backward, one layer at a
/// time, so the parts add up to the step.
/// Options: --model mlp|lenet (default lenet), --threads N (default 1), --isa NAME, --quick.
/// </summary>
public static class Breakdown
{
    public static int Run(bool quick, string[] args)
    {
        string model = "lenet";
        int threads = 1;
        Isa isa = Isa.Auto;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model" when i + 1 < args.Length: model = args[++i]; break;
                case "--threads" when i + 1 < args.Length: threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--isa" when i + 1 < args.Length: isa = Context.ParseIsa(args[++i]); break;
                default:
                    Console.Error.WriteLine($"hpc-bench --breakdown: unknown argument '{args[i]}' (expected --model mlp|lenet, --threads N, --isa NAME, --quick)");
                    return 2;
            }
        }
        int steps = quick ? 3 : model == "mlp" ? 300 : 40;
        using var ctx = new Context(isa, threads);
        Sequential net = model switch
        {
            "mlp" => Models.Mlp(MlpFixture.Sizes, "relu", seed: 1, ctx: ctx),
            "lenet" => LeNetFixture.Build(ctx),
            _ => throw new ArgumentException($"unknown model '{model}' (expected mlp or lenet)"),
        };
        using var _ = net;
        const int batch = 64;
        using var x = model == "mlp" ? new Tensor(batch, 784) : new Tensor(batch, 1, 28, 28);
        var labels = Inputs.Fill(x, batch, 10, seed: 7);
        using var opt = new Sgd(net.Parameters(), lr: 0.05f, momentum: 0.9f, ctx: ctx);
        var loss = new CrossEntropyLoss(ctx);

        var layers = net.Layers;
        int parts = 2 * layers.Count + 2;
        var ms = new double[parts][];
        for (int p = 0; p < parts; p++) ms[p] = new double[steps];
        int warmup = Math.Max(3, steps / 10);
        for (int s = -warmup; s < steps; s++)
        {
            int p = 0;
            Tensor t = x;
            for (int i = 0; i < layers.Count; i++) t = Timed(() => layers[i].Forward(t, true), ms[p++], s);
            Tensor? g = Timed(() => { loss.Forward(t, labels); return loss.Backward(); }, ms[p++], s);
            for (int i = layers.Count - 1; i >= 0; i--) { var gi = g!; g = Timed(() => layers[i].Backward(gi, i > 0), ms[p++], s); }
            Timed(() => { opt.Step(); return (Tensor?)null; }, ms[p++], s);
        }

        Console.WriteLine($"Step breakdown: {model}, batch {batch}, {threads} thread(s), {Context.IsaName(ctx.Isa)}, median of {steps} steps (ms)\n");
        Console.WriteLine("| part | median ms | share |\n|---|---:|---:|");
        var medians = ms.Select(Median).ToArray();
        double total = medians.Sum();
        var names = new List<string>();
        names.AddRange(layers.Select(l => $"forward {l.Name}"));
        names.Add("softmax-cross-entropy");
        for (int i = layers.Count - 1; i >= 0; i--) names.Add($"backward {layers[i].Name}{(i == 0 ? " (no input gradient)" : "")}");
        names.Add("SGD update");
        for (int p = 0; p < parts; p++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {names[p]} | {medians[p]:F4} | {100 * medians[p] / total:F1}% |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| **sum** | {total:F4} | |"));
        return 0;
    }

    private static T Timed<T>(Func<T> f, double[] into, int step)
    {
        long t0 = Stopwatch.GetTimestamp();
        var r = f();
        if (step >= 0) into[step] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        return r;
    }

    private static double Median(double[] v)
    {
        var s = (double[])v.Clone();
        Array.Sort(s);
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
