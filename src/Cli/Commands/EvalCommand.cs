using System.CommandLine;
using System.Globalization;
using Hpc.Cli.Output;
using Hpc.Cli.Plots;
using Hpc.Nn;

namespace Hpc.Cli.Commands;

/// <summary>`hpc eval model.hpc`: loss, accuracy, per-class precision and recall, and the confusion matrix on the test set.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Checkpoint written by 'hpc train --save'" };
        var data = new Option<string?>("--data")
        {
            Description = $"Directory with the MNIST IDX test files; default {DataLocator.DefaultRelative} in the current directory, else beside hpc",
            HelpName = "dir",
        };
        var confusion = new Option<string?>("--confusion")
        {
            Description = "Also draw the confusion matrix to this picture (.svg, or .png with libSkiaSharp.so beside hpc)",
            HelpName = "file.svg|png",
        };
        var common = new CommonOptions();
        var command = new Command("eval", "Evaluate a saved model on the test set: loss, accuracy, per-class precision/recall, confusion matrix") { model, data, confusion };
        common.AddTo(command);
        command.SetAction(r => Run(r.GetValue(model)!, r.GetValue(data), r.GetValue(confusion), r.GetValue(common.Isa), r.GetValue(common.Threads)));
        return command;
    }

    private static int Run(string path, string? dataDir, string? confusionPath, string? isa, int threads)
    {
        if (confusionPath is not null) PlotFile.CheckPath(confusionPath, "--confusion");
        string dir = DataLocator.Resolve(dataDir);
        using var ctx = ContextFactory.Open(isa, threads);
        var checkpoint = Checkpoint.Load(path, ctx);
        using var model = checkpoint.Model!;
        var test = MnistDataset.LoadSet(Idx.Find(dir, MnistDataset.TestImages) ?? Path.Combine(dir, MnistDataset.TestImages),
            Idx.Find(dir, MnistDataset.TestLabels) ?? Path.Combine(dir, MnistDataset.TestLabels));
        if (checkpoint.Spec.InputFeatures != test.FeatureCount)
            throw new InvalidDataException($"{path}: the model takes {checkpoint.Spec.InputFeatures} values per sample, {dir} has {test.FeatureCount}");
        int classes = checkpoint.Spec.OutputFeatures;
        if (test.Classes > classes)
            throw new InvalidDataException($"{path}: the model outputs {classes} classes, {dir} has labels up to {test.Classes - 1}");

        var counts = new long[classes, classes];
        var loss = new CrossEntropyLoss(ctx);
        double lossSum = 0;
        const int batch = 500;
        using var x = new Tensor(batch, test.FeatureCount);
        for (int start = 0; start < test.Count; start += batch)
        {
            int n = Math.Min(batch, test.Count - start);
            x.TryReshape(n, test.FeatureCount);
            test.Features.AsSpan(start * test.FeatureCount, n * test.FeatureCount).CopyTo(x.AsSpan());
            var logits = model.Forward(x, training: false);
            var labels = test.Labels.AsSpan(start, n);
            lossSum += (double)loss.Forward(logits, labels, computeGradient: false) * n;
            for (int r = 0; r < n; r++)
            {
                var row = logits.Row(r);
                int best = 0;
                for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
                counts[labels[r], best]++;
            }
        }

        var inv = CultureInfo.InvariantCulture;
        long correct = 0;
        for (int c = 0; c < classes; c++) correct += counts[c, c];
        Console.WriteLine($"model     {path} ({Describe(checkpoint)})");
        Console.WriteLine($"data      {dir} ({TrainingFormat.Count(test.Count)} test samples); isa {Context.IsaName(ctx.Isa)}, {TrainingFormat.Plural(ctx.Threads, "thread")}");
        Console.WriteLine(string.Create(inv, $"loss      {lossSum / test.Count:F4}"));
        Console.WriteLine(string.Create(inv, $"accuracy  {100.0 * correct / test.Count:F2}% ({correct:N0} of {test.Count:N0})"));
        Console.WriteLine();
        Console.WriteLine("class  support  precision  recall");
        for (int c = 0; c < classes; c++)
        {
            long support = 0, predicted = 0;
            for (int k = 0; k < classes; k++) { support += counts[c, k]; predicted += counts[k, c]; }
            string precision = predicted == 0 ? "     -" : string.Create(inv, $"{100.0 * counts[c, c] / predicted,6:F2}%");
            string recall = support == 0 ? "     -" : string.Create(inv, $"{100.0 * counts[c, c] / support,6:F2}%");
            Console.WriteLine(string.Create(inv, $"{c,5}  {support,7}    {precision}  {recall}"));
        }
        Console.WriteLine();
        Console.WriteLine("confusion matrix (rows: true class, columns: predicted)");
        Console.WriteLine("      " + string.Concat(Enumerable.Range(0, classes).Select(c => c.ToString(inv).PadLeft(6))));
        for (int t = 0; t < classes; t++)
            Console.WriteLine(t.ToString(inv).PadLeft(5) + " " + string.Concat(Enumerable.Range(0, classes).Select(p => counts[t, p].ToString(inv).PadLeft(6))));
        if (confusionPath is not null)
        {
            PlotFile.Save(ConfusionMatrixPlot.Create(counts, string.Create(inv, $"{Path.GetFileName(path)}: {100.0 * correct / test.Count:F2}% on {test.Count:N0} test samples")), confusionPath, 700, 620);
            Console.WriteLine($"confusion picture: {confusionPath}");
        }
        return 0;
    }

    internal static string Describe(Checkpoint c) =>
        c.Metadata.TryGetValue("model", out var m) ? m : $"{c.Spec.InputImage?.ToString() ?? c.Spec.InputFeatures.ToString(CultureInfo.InvariantCulture)} -> {c.Spec.Layers.Count} layers -> {c.Spec.OutputFeatures}";
}
