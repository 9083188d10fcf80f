using System.CommandLine;
using Hpc.Interop;

namespace Hpc.Cli;

/// <summary>Turns usage errors and exceptions into the CLI's one-line error format.</summary>
internal static class ErrorReporter
{
    /// <summary>Exit code of a command-line mistake (bad option, bad value).</summary>
    public const int UsageExit = 2;

    /// <summary>Exit code of a failure while running (data, native library, I/O).</summary>
    public const int FailureExit = 1;

    /// <summary>Exit code of an unexpected exception: a bug in Hpc, not in the user's input.</summary>
    public const int InternalExit = 70;

    /// <summary>Exit code after Ctrl+C, as shells report a SIGINT death (128 + 2).</summary>
    public const int InterruptedExit = 130;

    public static int Usage(string message, Command command)
    {
        string help = command.Parents.Any() ? $"hpc {command.Name} --help" : "hpc --help";
        Write($"{OneLine(message)} (see '{help}')");
        return UsageExit;
    }

    public static int Failure(Exception e)
    {
        // HPC_TRACE=1 restores the full exception for whoever is debugging Hpc itself.
        if (Environment.GetEnvironmentVariable("HPC_TRACE") == "1")
            Console.Error.WriteLine(e);
        switch (e)
        {
            case UsageException:
                Write(OneLine(e.Message));
                return UsageExit;
            case OperationCanceledException:
                Write("interrupted");
                return InterruptedExit;
            case HpcException or InvalidDataException or IOException or UnauthorizedAccessException
                or ArgumentException or ArithmeticException:
                Write(OneLine(e.Message));
                return FailureExit;
            default:
                Write($"internal error ({e.GetType().Name}): {OneLine(e.Message)}");
                return InternalExit;
        }
    }

    private static void Write(string line) => Console.Error.WriteLine($"hpc: error: {line}");

    // Native and parser messages sometimes span lines (lists of choices, nested causes).
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
