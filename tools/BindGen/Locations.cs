using static Hpc.BindGen.LibClang;

namespace Hpc.BindGen;

/// <summary>Source positions of cursors, for ordering, identity and error messages.</summary>
internal static unsafe class Locations
{
    public static (string File, uint Line, uint Column, uint Offset) Of(CXCursor cursor)
    {
        IntPtr file;
        uint line, column, offset;
        clang_getSpellingLocation(clang_getCursorLocation(cursor), &file, &line, &column, &offset);
        var name = file == IntPtr.Zero ? "<unknown>" : Take(clang_getFileName(file));
        return (name, line, column, offset);
    }

    public static bool IsInMainFile(CXCursor cursor) => clang_Location_isFromMainFile(clang_getCursorLocation(cursor)) != 0;

    public static string Key(CXCursor cursor)
    {
        var l = Of(cursor);
        return $"{l.File}:{l.Offset}";
    }

    public static string Describe(CXCursor cursor)
    {
        var l = Of(cursor);
        return $"{Path.GetFileName(l.File)}:{l.Line}:{l.Column}";
    }
}
