namespace Hpc.Cli;

/// <summary>A command line that parsed but asks for something impossible (e.g. a data directory that does not exist).</summary>
internal sealed class UsageException(string message) : Exception(message);
