using System.Globalization;
using Hpc.Cli.Output;
using Hpc.Nn;

namespace Hpc.Cli.Commands;

/// <summary>
/// Wires a <see cref="TrainRecipe"/> into a <see cref="Trainer"/> through its events: the learning-rate
/// schedule and fresh augmentation at each epoch start, early stopping and diagnostics at each
/// epoch end. <see cref="Finish"/> restores the best weights when early stopping ran.
/// </summary>
internal sealed class RecipeHooks : IDisposable
{
    private readonly Trainer _trainer;
    private readonly Action<int, int> _onStart;
    private readonly Action<EpochMetrics> _onEpoch;
    private readonly EarlyStopping? _early;
    private readonly TrainingView _view;

    public RecipeHooks(TrainRecipe recipe, Trainer trainer, Sequential model, Optimizer optimizer, Dataset train,
        Dataset? monitor, int epochs, float baseRate, ulong seed, TrainingView view)
    {
        _trainer = trainer;
        _view = view;
        var schedule = LearningRateSchedule.Create(recipe.LrSchedule, baseRate, epochs, stepSize: Math.Max(1, epochs / 10), gamma: recipe.LrSchedule == "exp" ? 0.9f : 0.5f);
        Augmentation? augment = null;
        float[]? original = null;
        if (recipe.Augment)
        {
            int side = (int)Math.Round(Math.Sqrt(train.FeatureCount));
            if (side * side != train.FeatureCount)
                throw new UsageException($"--augment needs square images; rows have {train.FeatureCount} features");
            augment = new Augmentation(side, side, seed: seed);
            original = (float[])train.Features.Clone();
        }
        _onStart = (epoch, _) =>
        {
            schedule.Apply(optimizer, epoch - 1);
            if (augment is not null)
                for (int i = 0; i < train.Count; i++)
                    augment.Apply(original.AsSpan(i * train.FeatureCount, train.FeatureCount), train.Features.AsSpan(i * train.FeatureCount, train.FeatureCount));
        };
        if (recipe.EarlyStopping > 0) _early = new EarlyStopping(model.Parameters(), recipe.EarlyStopping);
        Tensor? probe = null;
        if (recipe.Diagnostics && monitor is not null && monitor.Count > 0)
        {
            int rows = Math.Min(256, monitor.Count);
            probe = Tensor.FromArray(monitor.Features.AsSpan(0, rows * monitor.FeatureCount), rows, monitor.FeatureCount);
        }
        _onEpoch = m =>
        {
            if (recipe.Diagnostics)
            {
                var inv = CultureInfo.InvariantCulture;
                foreach (var g in LayerStatistics.Gradients(model))
                    _view.Line(string.Create(inv, $"  grad {g.Name,-10} |g| {g.GradNorm,10:G4}  |w| {g.WeightNorm,10:G4}  |g|/|w| {g.Ratio:G3}"));
                if (probe is not null)
                    foreach (var a in LayerStatistics.Activations(model, probe))
                        _view.Line(string.Create(inv, $"  act  #{a.Index} {a.Layer,-18} mean {a.Mean,9:G3} std {a.Std,9:G3} min {a.Min,9:G3} max {a.Max,9:G3} zeros {a.ZeroFraction,6:P1}"));
            }
            if (_early is not null && _early.Observe(m.TestLoss)) trainer.RequestStop();
        };
        trainer.EpochStarted += _onStart;
        trainer.EpochCompleted += _onEpoch;
        _probe = probe;
    }

    private readonly Tensor? _probe;

    /// <summary>After training: restores the best weights of early stopping and says so; true when it did.</summary>
    public bool Finish()
    {
        if (_early is null || !_early.RestoreBest()) return false;
        _view.Line(string.Create(CultureInfo.InvariantCulture,
            $"early stopping: best validation loss {_early.BestError:F4} at epoch {_early.BestObservation}; its weights restored"));
        return true;
    }

    public void Dispose()
    {
        _trainer.EpochStarted -= _onStart;
        _trainer.EpochCompleted -= _onEpoch;
        _probe?.Dispose();
    }
}
