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

        var recipe = s.Recipe ?? new TrainRecipe();
        Dataset? validation = null;
        if (recipe.EffectiveValidationSplit > 0) (train, validation) = ValidationSplit.Split(train, recipe.EffectiveValidationSplit, s.Seed);

        var (model, description) = recipe.BuildModel(s.Model, train, s.Seed, ctx);
        using var _ = model;
        using var optimizer = recipe.BuildOptimizer(model, s.LearningRate, s.Momentum, ctx);
        var loss = new CrossEntropyLoss(ctx);
        var outputs = s.Outputs ?? new RunOutputs();
        using var trainer = new Trainer(model, optimizer, loss, new TrainerOptions
        {
            Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = s.Seed,
            CheckpointPath = outputs.Save, CheckpointEveryEpoch = outputs.SaveEveryEpoch,
            CheckFiniteValues = true,
        });
        trainer.CheckpointMetadata["data"] = dataDir;
        trainer.CheckpointMetadata["model"] = description;
        trainer.CheckpointMetadata["recipe"] = $"{recipe.Describe(s.LearningRate, s.Momentum)}, batch {s.BatchSize}, seed {s.Seed}";
        trainer.CheckpointMetadata["isa"] = Context.IsaName(ctx.Isa);

        var view = TrainingView.ForConsole();
        var inv = CultureInfo.InvariantCulture;
        view.Line(string.Create(inv,
            $"hpc train: {description}, {recipe.Describe(s.LearningRate, s.Momentum)}, batch {s.BatchSize}, {TrainingFormat.Plural(s.Epochs, "epoch")}, seed {s.Seed}"));
        view.Line(
            $"data: {dataDir} ({TrainingFormat.Count(train.Count)} train, {TrainingFormat.Count(test.Count)} test); " +
            $"isa {Context.IsaName(ctx.Isa)} ({ContextFactory.IsaOrigin(s.Isa)}), {TrainingFormat.Plural(ctx.Threads, "thread")}");
        if (validation is not null)
            view.Line($"validation: {TrainingFormat.Count(validation.Count)} rows held out of the training set; per-epoch evaluation uses them");
        using var hooks = new RecipeHooks(recipe, trainer, model, optimizer, train, validation ?? test, s.Epochs, s.LearningRate, s.Seed, view);
        var metrics = new List<MetricsRow>();
        if (outputs.Resume is { } resume)
        {
            var saved = trainer.Resume(resume);
            if (saved.Epoch >= s.Epochs)
                throw new UsageException($"--resume {resume}: the run is already at epoch {saved.Epoch}; give --epochs larger than that");
            view.Line($"resumed: {resume} at epoch {saved.Epoch}, step {saved.Step}");
            if (outputs.Metrics is { } m) metrics.AddRange(MetricsRow.ReadFile(m).Where(r => r.Epoch <= saved.Epoch));
        }
        trainer.EpochCompleted += m =>
        {
            metrics.Add(new MetricsRow(m.Epoch, m.Loss, m.TrainAccuracy, m.TestLoss, m.TestAccuracy, optimizer.LearningRate, m.SamplesPerSecond));
            if (outputs.Metrics is { } path) AtomicFile.WriteAllText(path, MetricsRow.ToCsv(metrics));
        };

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
            history = view.Run(trainer, s.Epochs, () => trainer.Fit(train, validation ?? test, cancel.Token));
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        EpochMetrics last = history.Last ?? throw new InvalidOperationException("training ran no epoch");
        // Early stopping restored other weights than the last epoch's, which the trainer saved: save those.
        if (hooks.Finish() && outputs.Save is { } savePath) trainer.SaveCheckpoint(savePath);
        if (outputs.Save is { } savedTo) view.Line($"saved: {savedTo}");
        if (outputs.Plot is { } plot)
        {
            Plots.PlotFile.Save(Plots.TrainingCurves.Create(metrics, $"hpc train: {description}"), plot);
            view.Line($"plot: {plot}");
        }
        // With a held-out validation set (and after an early-stopping restore) the test set has not been scored yet.
        double testAccuracy = validation is null ? last.TestAccuracy : trainer.Evaluate(test).Accuracy;
        double seconds = history.Epochs.Sum(e => e.Elapsed.TotalSeconds);
        double trainSeconds = history.Epochs.Sum(e => e.TrainTime.TotalSeconds);
        double rate = history.Epochs.Sum(e => e.SamplesPerSecond * e.TrainTime.TotalSeconds) / trainSeconds;
        view.Line(string.Create(inv,
            $"done: {TrainingFormat.Plural(history.Epochs.Count, "epoch")} in {seconds:F1} s, {TrainingFormat.Rate(rate).Trim()} samples/s; test accuracy {TrainingFormat.Percent(testAccuracy).Trim()} on {TrainingFormat.Count(test.Count)} digits"));
        return 0;
    }
}
