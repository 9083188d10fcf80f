using System.CommandLine;
using Hpc.Cli;
using Hpc.Cli.Commands;

// The `hpc` program. Every failure a user can cause (bad option, missing or damaged data, an ISA
// path the CPU lacks) ends as one line on stderr and a non-zero exit code, never a stack trace:
// the CLI runs in CI logs and scripts, where one greppable line beats forty lines of frames.
var root = new RootCommand("Hpc: train and inspect neural networks on hand-written SIMD kernels.")
{
    TrainCommand.Create(),
    InfoCommand.Create(),
    EvalCommand.Create(),
    PredictCommand.Create(),
    NeuroCommand.Create(),
};

ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // "hpc trian" yields both "required command missing" and "unrecognized 'trian'"; the second
    // is the one that tells the user what went wrong.
    string message = parsed.UnmatchedTokens.Count > 0
        ? $"unknown command or option '{parsed.UnmatchedTokens[0]}'"
        : parsed.Errors[0].Message;
    return ErrorReporter.Usage(message, parsed.CommandResult.Command);
}

try
{
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return ErrorReporter.Failure(e);
}
