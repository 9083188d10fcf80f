namespace Hpc.Nn;

/// <summary>What <see cref="Vocabulary"/> does with a word it does not hold.</summary>
public enum UnknownWordPolicy
{
    /// <summary>The word has no index (an n-gram holding it is not an example): the seed's definition.</summary>
    Skip,
    /// <summary>The word maps to a reserved "&lt;unk&gt;" entry, the last index.</summary>
    MapToUnknown,
}
