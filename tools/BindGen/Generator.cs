namespace Hpc.BindGen;

/// <summary>The generator as a library, so tests can compare the committed bindings with a fresh run.</summary>
public static class Generator
{
    /// <summary>The native library name every [LibraryImport] uses (libhpcnn.so / hpcnn.dll).</summary>
    public const string LibraryName = "hpcnn";

    public const string Namespace = "Hpc.Interop";

    /// <summary>C# bindings for the header at <paramref name="headerPath"/>: '\n' line endings, and
    /// the same text for the same header on any machine (no paths, dates or versions).</summary>
    public static string Generate(string headerPath)
    {
        // libclang's global initialisation is not safe to race; generations are rare and short.
        lock (GenerateLock)
            return CSharpEmitter.Emit(HeaderReader.Read(headerPath), Path.GetFileName(headerPath), LibraryName, Namespace);
    }

    private static readonly Lock GenerateLock = new();

    /// <summary>Where libclang is taken from: HPC_LIBCLANG, else the locations build.sh knows.</summary>
    public static string LibClangPath() => LibClang.Locate();
}
