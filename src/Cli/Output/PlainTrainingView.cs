using Hpc.Nn;

namespace Hpc.Cli.Output;

/// <summary>One line per epoch and nothing per batch: readable in CI logs and pipes.</summary>
internal sealed class PlainTrainingView : TrainingView
{
    public override void Line(string text) => Console.WriteLine(text);

    public override TrainingHistory Run(Trainer trainer, int epochs, Func<TrainingHistory> fit)
    {
        Action<EpochMetrics> onEpoch = m => Console.WriteLine(TrainingFormat.Epoch(m));
        trainer.EpochCompleted += onEpoch;
        try
        {
            return fit();
        }
        finally
        {
            trainer.EpochCompleted -= onEpoch;
        }
    }
}
