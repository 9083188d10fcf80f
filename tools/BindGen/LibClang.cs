using System.Runtime.InteropServices;

namespace Hpc.BindGen;

// The subset of libclang's stable C API (clang-c/Index.h) the generator needs. Layouts of the
// by-value structs are part of that ABI and have not changed since libclang 3.x.

[StructLayout(LayoutKind.Sequential)]
internal struct CXCursor
{
    public CXCursorKind kind;
    public int xdata;
    public IntPtr data0, data1, data2;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXType
{
    public CXTypeKind kind;
    public IntPtr data0, data1;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXString
{
    public IntPtr data;
    public uint private_flags;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXSourceLocation
{
    public IntPtr ptr0, ptr1;
    public uint int_data;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXSourceRange
{
    public IntPtr ptr0, ptr1;
    public uint begin_int_data, end_int_data;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXToken
{
    public uint int0, int1, int2, int3;
    public IntPtr ptr_data;
}

internal enum CXCursorKind
{
    StructDecl = 2,
    UnionDecl = 3,
    EnumDecl = 5,
    FieldDecl = 6,
    EnumConstantDecl = 7,
    FunctionDecl = 8,
    VarDecl = 9,
    ParmDecl = 10,
    TypedefDecl = 20,
    MacroDefinition = 501,
    MacroExpansion = 502,
    InclusionDirective = 503,
}

internal enum CXTypeKind
{
    Invalid = 0,
    Unexposed = 1,
    Void = 2,
    Bool = 3,
    Char_U = 4,
    UChar = 5,
    Char16 = 6,
    Char32 = 7,
    UShort = 8,
    UInt = 9,
    ULong = 10,
    ULongLong = 11,
    UInt128 = 12,
    Char_S = 13,
    SChar = 14,
    WChar = 15,
    Short = 16,
    Int = 17,
    Long = 18,
    LongLong = 19,
    Int128 = 20,
    Float = 21,
    Double = 22,
    LongDouble = 23,
    Pointer = 101,
    Record = 105,
    Enum = 106,
    Typedef = 107,
    FunctionNoProto = 110,
    FunctionProto = 111,
    ConstantArray = 112,
    IncompleteArray = 114,
    Elaborated = 119,
}

internal enum CXTokenKind
{
    Punctuation = 0,
    Keyword = 1,
    Identifier = 2,
    Literal = 3,
    Comment = 4,
}

internal static unsafe partial class LibClang
{
    private const string Lib = "libclang";

    public const uint CXTranslationUnit_DetailedPreprocessingRecord = 0x01;
    public const uint CXTranslationUnit_SkipFunctionBodies = 0x40;
    public const int CXChildVisit_Continue = 1;
    public const int CXDiagnostic_Error = 3;

    [LibraryImport(Lib)] public static partial IntPtr clang_createIndex(int excludeDeclarationsFromPCH, int displayDiagnostics);
    [LibraryImport(Lib)] public static partial void clang_disposeIndex(IntPtr index);
    [LibraryImport(Lib)] public static partial int clang_parseTranslationUnit2(IntPtr index, byte* sourceFilename, byte** args, int numArgs, IntPtr unsavedFiles, uint numUnsaved, uint options, IntPtr* outTu);
    [LibraryImport(Lib)] public static partial void clang_disposeTranslationUnit(IntPtr tu);
    [LibraryImport(Lib)] public static partial uint clang_getNumDiagnostics(IntPtr tu);
    [LibraryImport(Lib)] public static partial IntPtr clang_getDiagnostic(IntPtr tu, uint index);
    [LibraryImport(Lib)] public static partial int clang_getDiagnosticSeverity(IntPtr diagnostic);
    [LibraryImport(Lib)] public static partial CXString clang_formatDiagnostic(IntPtr diagnostic, uint options);
    [LibraryImport(Lib)] public static partial uint clang_defaultDiagnosticDisplayOptions();
    [LibraryImport(Lib)] public static partial void clang_disposeDiagnostic(IntPtr diagnostic);

    [LibraryImport(Lib)] public static partial CXCursor clang_getTranslationUnitCursor(IntPtr tu);
    [LibraryImport(Lib)] public static partial uint clang_visitChildren(CXCursor parent, delegate* unmanaged[Cdecl]<CXCursor, CXCursor, IntPtr, int> visitor, IntPtr clientData);
    [LibraryImport(Lib)] public static partial CXCursorKind clang_getCursorKind(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXString clang_getCursorSpelling(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXType clang_getCursorType(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXType clang_getCursorResultType(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXSourceLocation clang_getCursorLocation(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXSourceRange clang_getCursorExtent(CXCursor cursor);
    [LibraryImport(Lib)] public static partial int clang_Location_isFromMainFile(CXSourceLocation location);
    [LibraryImport(Lib)] public static partial void clang_getSpellingLocation(CXSourceLocation location, IntPtr* file, uint* line, uint* column, uint* offset);
    [LibraryImport(Lib)] public static partial CXString clang_getFileName(IntPtr file);
    [LibraryImport(Lib)] public static partial uint clang_isCursorDefinition(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXCursor clang_getCursorDefinition(CXCursor cursor);
    [LibraryImport(Lib)] public static partial int clang_Cursor_isNull(CXCursor cursor);
    [LibraryImport(Lib)] public static partial uint clang_Cursor_isAnonymous(CXCursor cursor);
    [LibraryImport(Lib)] public static partial uint clang_Cursor_isBitField(CXCursor cursor);
    [LibraryImport(Lib)] public static partial uint clang_Cursor_isVariadic(CXCursor cursor);
    [LibraryImport(Lib)] public static partial uint clang_Cursor_isMacroFunctionLike(CXCursor cursor);
    [LibraryImport(Lib)] public static partial int clang_Cursor_getStorageClass(CXCursor cursor);
    [LibraryImport(Lib)] public static partial int clang_Cursor_getNumArguments(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXCursor clang_Cursor_getArgument(CXCursor cursor, uint index);
    [LibraryImport(Lib)] public static partial long clang_Cursor_getOffsetOfField(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXString clang_Cursor_getRawCommentText(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXString clang_Cursor_getBriefCommentText(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXSourceRange clang_Cursor_getCommentRange(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXSourceLocation clang_getRangeStart(CXSourceRange range);
    [LibraryImport(Lib)] public static partial CXSourceLocation clang_getRangeEnd(CXSourceRange range);
    [LibraryImport(Lib)] public static partial long clang_getEnumConstantDeclValue(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXType clang_getEnumDeclIntegerType(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXType clang_getTypedefDeclUnderlyingType(CXCursor cursor);

    [LibraryImport(Lib)] public static partial CXString clang_getTypeSpelling(CXType type);
    [LibraryImport(Lib)] public static partial CXString clang_getTypedefName(CXType type);
    [LibraryImport(Lib)] public static partial CXType clang_getCanonicalType(CXType type);
    [LibraryImport(Lib)] public static partial CXType clang_getPointeeType(CXType type);
    [LibraryImport(Lib)] public static partial CXType clang_Type_getNamedType(CXType type);
    [LibraryImport(Lib)] public static partial CXType clang_getArrayElementType(CXType type);
    [LibraryImport(Lib)] public static partial long clang_getArraySize(CXType type);
    [LibraryImport(Lib)] public static partial long clang_Type_getSizeOf(CXType type);
    [LibraryImport(Lib)] public static partial long clang_Type_getAlignOf(CXType type);
    [LibraryImport(Lib)] public static partial CXCursor clang_getTypeDeclaration(CXType type);
    [LibraryImport(Lib)] public static partial uint clang_isConstQualifiedType(CXType type);

    [LibraryImport(Lib)] public static partial void clang_tokenize(IntPtr tu, CXSourceRange range, CXToken** tokens, uint* numTokens);
    [LibraryImport(Lib)] public static partial void clang_disposeTokens(IntPtr tu, CXToken* tokens, uint numTokens);
    [LibraryImport(Lib)] public static partial CXTokenKind clang_getTokenKind(CXToken token);
    [LibraryImport(Lib)] public static partial CXString clang_getTokenSpelling(IntPtr tu, CXToken token);

    [LibraryImport(Lib)] public static partial byte* clang_getCString(CXString str);
    [LibraryImport(Lib)] public static partial void clang_disposeString(CXString str);

    /// <summary>Copies and frees a CXString (every CXString returned by libclang must be disposed).</summary>
    public static string Take(CXString s)
    {
        var p = clang_getCString(s);
        var text = p == null ? "" : Marshal.PtrToStringUTF8((IntPtr)p) ?? "";
        clang_disposeString(s);
        return text;
    }

    private static readonly Lock LoadLock = new();
    private static bool _loaded;

    /// <summary>Binds "libclang" to the library <see cref="Locate"/> finds, once per process.</summary>
    public static void EnsureLoaded()
    {
        lock (LoadLock)
        {
            if (_loaded) return;
            var handle = NativeLibrary.Load(Locate());
            NativeLibrary.SetDllImportResolver(typeof(LibClang).Assembly,
                (name, _, _) => name == Lib ? handle : IntPtr.Zero);
            _loaded = true;
        }
    }

    // Same search as build.sh's libclang_path, so the generator, the build and the test agree.
    internal static readonly string[] KnownPaths =
    [
        "/usr/lib/llvm-16/lib/libclang.so.1",
        "/usr/lib/x86_64-linux-gnu/libclang-16.so.1",
        "/usr/lib/llvm-14/lib/libclang.so.1",
        "/usr/lib/x86_64-linux-gnu/libclang-14.so.1",
    ];

    /// <summary>HPC_LIBCLANG when set, else the first of the Debian locations that exists.</summary>
    public static string Locate()
    {
        var env = Environment.GetEnvironmentVariable("HPC_LIBCLANG");
        if (!string.IsNullOrEmpty(env))
        {
            if (!File.Exists(env))
                throw new BindGenException($"HPC_LIBCLANG points to '{env}', which does not exist");
            return env;
        }
        foreach (var p in KnownPaths)
            if (File.Exists(p)) return p;
        throw new BindGenException(
            "libclang not found: set HPC_LIBCLANG to libclang's path or install it (apt-get install libclang-16-dev); looked in "
            + string.Join(", ", KnownPaths));
    }
}
