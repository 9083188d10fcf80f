namespace Hpc.Nn;

/// <summary>
/// A checkpoint file that cannot be read (damaged, truncated, from a newer format, or not
/// matching the model it is loaded into): names the file, the section and the byte offset.
/// </summary>
public sealed class CheckpointException : IOException
{
    public CheckpointException(string path, string section, long offset, string reason)
        : base($"{path}: {section} at byte {offset}: {reason}")
    {
        Path = path;
        Section = section;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>The part of the file the problem is in ("header", "section table", "parameters", ...).</summary>
    public string Section { get; }

    /// <summary>Byte offset in the file where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }
}
