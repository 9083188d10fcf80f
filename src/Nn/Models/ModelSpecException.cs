namespace Hpc.Nn;

/// <summary>A model spec line that cannot be parsed or whose shapes do not fit; names the line at fault.</summary>
public sealed class ModelSpecException : FormatException
{
    public ModelSpecException(string source, int lineNumber, string lineText, string reason)
        : base($"{source}:{lineNumber}: {reason} (line {lineNumber}: '{lineText.Trim()}')")
    {
        Source = source;
        LineNumber = lineNumber;
        LineText = lineText;
        Reason = reason;
    }

    /// <summary>The file path, or the name given to <see cref="ModelSpec.Parse"/>.</summary>
    public new string Source { get; }

    /// <summary>1-based.</summary>
    public int LineNumber { get; }

    public string LineText { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }
}
