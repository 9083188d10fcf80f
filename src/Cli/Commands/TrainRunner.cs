using System.Globalization;
using Hpc.Cli.Output;
using Hpc.Nn;

namespace Hpc.Cli.Commands;

/// <summary>Runs `hpc train`: loads the data, builds the model, trains and reports.</summary>
internal static class TrainRunner
{
    public static int Run(TrainSettings s)
    {
        string dataDir = DataLocator.Resolve(s.DataDir);
        using var ctx = ContextFactory.Open(s.Isa, s.Threads);
        var (train, test) = MnistDataset.Load(dataDir);

        // The default model's hidden layers; input and output follow the data (28x28 pixels, 10 digits for MNIST).
        int[] sizes = [train.FeatureCount, .. Models.DefaultMlpSizes[1..^1], train.Classes];
        using var model = Models.Mlp(sizes, ActivationKind.ReLU, InitScheme.PyTorchDefault, s.Seed, ctx);
        using var optimizer = new Sgd(model.Parameters(), s.LearningRate, s.Momentum, ctx: ctx);
        var loss = new CrossEntropyLoss(ctx);
        using var trainer = new Trainer(model, optimizer, loss,
            new TrainerOptions { Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = s.Seed });

        var view = TrainingView.ForConsole();
        var inv = CultureInfo.InvariantCulture;
        view.Line(string.Create(inv,
            $"hpc train: MLP {string.Join('-', sizes)} (ReLU), SGD lr {s.LearningRate} momentum {s.Momentum}, batch {s.BatchSize}, {TrainingFormat.Plural(s.Epochs, "epoch")}, seed {s.Seed}"));
        view.Line(
            $"data: {dataDir} ({TrainingFormat.Count(train.Count)} train, {TrainingFormat.Count(test.Count)} test); " +
            $"isa {Context.IsaName(ctx.Isa)} ({ContextFactory.IsaOrigin(s.Isa)}), {TrainingFormat.Plural(ctx.Threads, "thread")}");

        // The first Ctrl+C stops at the next batch boundary (the progress display restores the
        // terminal on the way out); a second one kills the process as usual.
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        TrainingHistory history;
        try
        {
            history = view.Run(trainer, s.Epochs, () => trainer.Fit(train, test, cancel.Token));
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        EpochMetrics last = history.Last ?? throw new InvalidOperationException("training ran no epoch");
        double seconds = history.Epochs.Sum(e => e.Elapsed.TotalSeconds);
        double trainSeconds = history.Epochs.Sum(e => e.TrainTime.TotalSeconds);
        double rate = history.Epochs.Sum(e => e.SamplesPerSecond * e.TrainTime.TotalSeconds) / trainSeconds;
        view.Line(string.Create(inv,
            $"done: {TrainingFormat.Plural(history.Epochs.Count, "epoch")} in {seconds:F1} s, {TrainingFormat.Rate(rate).Trim()} samples/s; test accuracy {TrainingFormat.Percent(last.TestAccuracy).Trim()} on {TrainingFormat.Count(test.Count)} digits"));
        return 0;
    }
}
