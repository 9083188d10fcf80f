using System.CommandLine;
using System.Runtime.InteropServices;
using Hpc.Interop;
using Hpc.Nn;

namespace Hpc.Cli.Commands;

/// <summary>`hpc info`: what this machine and this build offer, and which kernel path a run would take.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var model = new Argument<string?>("model")
        {
            Description = "A checkpoint: show its architecture with output shapes, parameter counts, optimizer, training state and metadata instead",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var kernels = new Option<bool>("--kernels")
        {
            Description = "Also list the implementation each kernel family runs on the selected path",
        };
        var command = new Command("info", "Show the CPU, the kernel paths it supports, the one selected, OpenBLAS, threads and versions; or, given a checkpoint, the model in it") { model };
        common.AddTo(command);
        command.Add(kernels);
        command.SetAction(result => result.GetValue(model) is { } path
            ? ModelInfo(path)
            : Run(result.GetValue(common.Isa), result.GetValue(common.Threads), result.GetValue(kernels)));
        return command;
    }

    private static int ModelInfo(string path)
    {
        var c = Checkpoint.Read(path);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Row("checkpoint", $"{path} ({new FileInfo(path).Length.ToString("N0", inv)} bytes, format version {1})");
        Console.WriteLine("architecture");
        string input = c.Spec.InputImage?.ToString() ?? c.Spec.InputFeatures.ToString(inv);
        Console.WriteLine($"  {"input " + input,-44} -> {input}");
        for (int i = 0; i < c.Spec.Layers.Count; i++)
        {
            var l = c.Spec.Layers[i];
            string prefix = i.ToString(inv) + ".";
            long count = c.Parameters.Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.Length);
            Console.WriteLine($"  {l.Text,-44} -> {l.OutputShape,-10}{(count > 0 ? $" {count.ToString("N0", inv),10} parameters" : "")}");
        }
        Row("parameters", $"{c.ParameterCount.ToString("N0", inv)} in {c.Parameters.Count} tensors");
        if (c.Optimizer is { } o)
            Row("optimizer", $"{o.Kind} ({string.Join(", ", o.HyperParameters.Select(h => $"{h.Key} {((float)h.Value).ToString(inv)}"))}" +
                $"{string.Concat(o.Counters.Select(k => $", {k.Key} {k.Value.ToString(inv)}"))}), {o.Buffers.Count} state buffers");
        if (c.Epoch is { } e) Row("training", $"epoch {e.ToString(inv)}, step {c.Step?.ToString(inv)}");
        Console.WriteLine("metadata");
        foreach (var (k, v) in c.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal)) Console.WriteLine($"  {k,-16} {v}");
        return 0;
    }

    private static int Run(string? isa, int threads, bool kernels)
    {
        CpuInfo cpu = CpuInfo.Read();
        using var ctx = ContextFactory.Open(isa, threads);

        Row("hpc", $"libhpcnn {cpu.LibraryVersion} ({RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier})");
        Row("cpu", $"{cpu.Brand} ({cpu.Features.logical_cores} logical cores)");
        Row("caches", $"L1d {Bytes(cpu.Features.l1d_bytes)}, L2 {Bytes(cpu.Features.l2_bytes)} per core; L3 {Bytes(cpu.Features.l3_bytes)} shared");
        Row("cpu features", string.Join(", ",
            Flag("avx2", cpu.Features.avx2), Flag("fma", cpu.Features.fma), Flag("avx512f", cpu.Features.avx512f),
            Flag("avx512bw", cpu.Features.avx512bw), Flag("avx512dq", cpu.Features.avx512dq), Flag("avx512vl", cpu.Features.avx512vl)));
        Row("isa paths", string.Join(", ",
            Context.AllIsas.Where(i => i != Isa.Auto).Select(i => $"{Context.IsaName(i)} {(Context.IsSupported(i) ? "yes" : "no")}")));
        Row("selected", $"{Context.IsaName(ctx.Isa)} (from {ContextFactory.IsaOrigin(isa)})");
        Row("openblas", Context.IsSupported(Isa.OpenBlas) ? "linked (GEMM path 'openblas')" : "not in this build");
        Row("threads", $"{ctx.Threads} ({(threads == 0 ? "--threads 0: one per logical core" : $"--threads {threads}")})");
        if (kernels) PrintKernels(ctx);
        return 0;
    }

    // One line a family: what it computes, then the implementation that runs it on the selected path.
    private static void PrintKernels(Context ctx)
    {
        Console.WriteLine($"kernels on the {Context.IsaName(ctx.Isa)} path:");
        foreach (var k in ctx.Kernels)
        {
            string impl = k.Implementation == "none" ? "none (the general code)" : k.Implementation;
            string standIn = k.StandIn is null ? "" : $" (stand-in: {k.StandIn})";
            Console.WriteLine($"  {k.Label}: {impl}{standIn}");
        }
    }

    private static void Row(string name, string value) => Console.WriteLine($"{name,-13} {value}");

    private static string Flag(string name, int present) => $"{name} {(present != 0 ? "yes" : "no")}";

    private static string Bytes(long n) =>
        n <= 0 ? "unknown" :
        n % (1L << 20) == 0 ? $"{n >> 20} MiB" :
        n % (1L << 10) == 0 ? $"{n >> 10} KiB" :
        $"{n} B";
}
