using System.Reflection;
using Xunit;

namespace Hpc.Cli.Tests;

/// <summary>What one run of `hpc` printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Runs the CLI's entry point in this process with stdout and stderr captured. Console is
/// process-wide, so every test using it is in the non-parallel "Console" collection.
/// </summary>
internal static class CliRunner
{
    private static readonly MethodInfo EntryPoint =
        Assembly.Load(new AssemblyName("hpc")).EntryPoint ?? throw new InvalidOperationException("hpc has no entry point");

    public static CliResult Run(params string[] args)
    {
        TextWriter stdout = Console.Out, stderr = Console.Error;
        var outWriter = new StringWriter();
        var errWriter = new StringWriter();
        Console.SetOut(outWriter);
        Console.SetError(errWriter);
        try
        {
            int code = (int)EntryPoint.Invoke(null, [args])!;
            return new CliResult(code, outWriter.ToString().ReplaceLineEndings("\n"), errWriter.ToString().ReplaceLineEndings("\n"));
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}

[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;
