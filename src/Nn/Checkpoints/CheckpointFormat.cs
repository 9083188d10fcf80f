namespace Hpc.Nn;

/// <summary>
/// The constants of the checkpoint layout (docs/checkpoint-format.md is the full description):
/// a 64-byte header, a table of sections, 64-byte aligned sections, an 8-byte trailer; every
/// integer little-endian, every checksum XXH64 with seed 0.
/// </summary>
internal static class CheckpointFormat
{
    /// <summary>"HPCCKPT" and a NUL.</summary>
    public static ReadOnlySpan<byte> Magic => "HPCCKPT\0"u8;

    /// <summary>The version this build writes and the newest it reads.</summary>
    public const uint Version = 1;

    public const int HeaderSize = 64;
    public const int TableEntrySize = 32;
    public const int Alignment = 64;
    public const int TrailerSize = 8;

    /// <summary>More sections than this is damage, not a file this library wrote.</summary>
    public const int MaxSections = 64;

    /// <summary>Tensors of higher rank are damage.</summary>
    public const int MaxRank = 8;

    // Header field offsets.
    public const int VersionOffset = 8;
    public const int SectionCountOffset = 12;
    public const int FileLengthOffset = 16;
    public const int TableOffsetOffset = 24;
    public const int TableHashOffset = 32;
    public const int HeaderHashOffset = 56;

    public const uint Metadata = 'M' | 'E' << 8 | 'T' << 16 | 'A' << 24;
    public const uint Architecture = 'A' | 'R' << 8 | 'C' << 16 | 'H' << 24;
    public const uint Parameters = 'P' | 'A' << 8 | 'R' << 16 | 'M' << 24;
    public const uint Optimizer = 'O' | 'P' << 8 | 'T' << 16 | 'M' << 24;
    public const uint TrainingState = 'S' | 'T' << 8 | 'A' << 16 | 'T' << 24;

    /// <summary>How error messages call a section.</summary>
    public static string SectionName(uint tag) => tag switch
    {
        Metadata => "metadata section",
        Architecture => "architecture section",
        Parameters => "parameters section",
        Optimizer => "optimizer section",
        TrainingState => "training-state section",
        _ => $"section '{TagText(tag)}'",
    };

    public static string TagText(uint tag)
    {
        Span<char> c = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            char ch = (char)((tag >> (8 * i)) & 0xFF);
            c[i] = ch is >= ' ' and <= '~' ? ch : '?';
        }
        return new string(c);
    }

    public static long Align(long offset) => (offset + Alignment - 1) / Alignment * Alignment;
}
