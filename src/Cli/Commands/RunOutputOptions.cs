using System.CommandLine;
using Hpc.Cli.Plots;

namespace Hpc.Cli.Commands;

/// <summary>`hpc train`'s outputs that outlive the process: the checkpoint, resuming from one, the metrics file and the curves picture.</summary>
internal sealed class RunOutputOptions
{
    public Option<string?> Save { get; } = new("--save")
    {
        Description = "Save the trained model (with optimizer and trainer state, so --resume can continue) to this checkpoint file after the last epoch",
        HelpName = "model.hpc",
    };

    public Option<bool> SaveEveryEpoch { get; } = new("--save-every-epoch")
    {
        Description = "With --save: save after every epoch, not only at the end (a crash loses at most one epoch)",
    };

    public Option<string?> Resume { get; } = new("--resume")
    {
        Description = "Continue a run saved with --save: give the same options; --epochs counts the epochs already done",
        HelpName = "model.hpc",
    };

    public Option<string?> Metrics { get; } = new("--metrics")
    {
        Description = "Write epoch, loss, accuracies, learning rate and samples/s to this CSV file after every epoch",
        HelpName = "run.csv",
    };

    public Option<string?> Plot { get; } = new("--plot")
    {
        Description = "Draw the loss and accuracy curves to this picture at the end (.svg, or .png with libSkiaSharp.so beside hpc)",
        HelpName = "curves.svg|png",
    };

    public void AddTo(Command command)
    {
        command.Add(Save);
        command.Add(SaveEveryEpoch);
        command.Add(Resume);
        command.Add(Metrics);
        command.Add(Plot);
    }

    public RunOutputs Read(ParseResult result)
    {
        var outputs = new RunOutputs(result.GetValue(Save), result.GetValue(SaveEveryEpoch), result.GetValue(Resume), result.GetValue(Metrics), result.GetValue(Plot));
        if (outputs.SaveEveryEpoch && outputs.Save is null) throw new UsageException("--save-every-epoch needs --save FILE");
        if (outputs.Plot is { } plot) PlotFile.CheckPath(plot, "--plot");
        return outputs;
    }
}

/// <summary>The parsed <see cref="RunOutputOptions"/>.</summary>
internal sealed record RunOutputs(string? Save = null, bool SaveEveryEpoch = false, string? Resume = null, string? Metrics = null, string? Plot = null);
