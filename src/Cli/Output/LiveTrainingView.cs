using System.Globalization;
using Hpc.Nn;
using Spectre.Console;

namespace Hpc.Cli.Output;

/// <summary>A Spectre.Console progress bar per epoch, with the epoch's line printed above it when it ends.</summary>
internal sealed class LiveTrainingView : TrainingView
{
    // Outside the live display: plain writes, so Spectre does not hard-wrap long lines at the
    // terminal width (the terminal wraps them softly, and copy-paste keeps them whole).
    public override void Line(string text) => Console.WriteLine(text);

    public override TrainingHistory Run(Trainer trainer, int epochs, Func<TrainingHistory> fit)
    {
        TrainingHistory? history = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new SpinnerColumn())
            .Start(progress =>
            {
                ProgressTask? task = null;
                Action<int, int> onStart = (epoch, batches) =>
                {
                    task?.StopTask();
                    task = progress.AddTask(Describe(epoch, epochs, float.NaN, 0), maxValue: batches);
                };
                Action<BatchProgress> onBatch = p =>
                {
                    if (task is null) return;
                    task.Value = p.Batch;
                    // The description is re-rendered by Spectre's refresh thread; a few times a
                    // second is all anyone reads, so skip the string work on most batches.
                    if (p.Batch == p.BatchesPerEpoch || p.Batch % 8 == 0)
                        task.Description = Describe(p.Epoch, epochs, p.Loss, p.SamplesPerSecond);
                };
                Action<EpochMetrics> onEpoch = m =>
                {
                    task?.StopTask();
                    AnsiConsole.WriteLine(TrainingFormat.Epoch(m));
                };
                trainer.EpochStarted += onStart;
                trainer.BatchCompleted += onBatch;
                trainer.EpochCompleted += onEpoch;
                try
                {
                    history = fit();
                }
                finally
                {
                    trainer.EpochStarted -= onStart;
                    trainer.BatchCompleted -= onBatch;
                    trainer.EpochCompleted -= onEpoch;
                }
            });
        return history!;
    }

    private static string Describe(int epoch, int epochs, float loss, double samplesPerSecond)
    {
        string lossText = float.IsNaN(loss) ? "" : string.Create(CultureInfo.InvariantCulture, $"  loss {loss:F4}  {TrainingFormat.Rate(samplesPerSecond)} samples/s");
        return $"epoch {epoch}/{epochs}{lossText}";
    }
}
