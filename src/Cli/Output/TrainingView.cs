using Hpc.Nn;
using Spectre.Console;

namespace Hpc.Cli.Output;

/// <summary>Shows a training run as it goes: a live progress bar on a terminal, plain lines elsewhere.</summary>
internal abstract class TrainingView
{
    /// <summary>A live view when stdout is an interactive terminal, else plain lines a CI log can keep.</summary>
    public static TrainingView ForConsole() =>
        Console.IsOutputRedirected || IsDumbTerminal() || !CanRedraw() ? new PlainTrainingView() : new LiveTrainingView();

    public abstract void Line(string text);

    /// <summary>Runs fit (which drives trainer) while showing its events; returns what fit returns.</summary>
    public abstract TrainingHistory Run(Trainer trainer, int epochs, Func<TrainingHistory> fit);

    // Spectre's own view of the terminal: a live display needs cursor movement (ANSI) and a user.
    private static bool CanRedraw() =>
        AnsiConsole.Profile.Capabilities.Ansi && AnsiConsole.Profile.Capabilities.Interactive;

    private static bool IsDumbTerminal() =>
        Environment.GetEnvironmentVariable("TERM") is "dumb" ||
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) ||
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
