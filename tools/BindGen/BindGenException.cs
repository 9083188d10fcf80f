namespace Hpc.BindGen;

/// <summary>A header construct the generator cannot bind, or an environment problem; the message
/// says where and what to change. Program turns it into a one-line error and exit code 1.</summary>
public sealed class BindGenException(string message) : Exception(message);
