using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Hpc.BindGen.LibClang;

namespace Hpc.BindGen;

/// <summary>Parses one header with libclang and returns its declarations, in header order, as the
/// C# model. Declarations from included files (stdint.h, ...) are left out.</summary>
internal sealed unsafe class HeaderReader
{
    private readonly TypeMapper _types = new();
    private readonly Dictionary<string, string> _typedefDocs = new();
    private readonly HashSet<string> _emittedTags = new();
    private readonly HashSet<string> _emittedFunctions = new();
    private readonly List<Declaration> _declarations = new();
    private IntPtr _tu;
    private byte[] _source = [];

    public static IReadOnlyList<Declaration> Read(string headerPath)
    {
        if (!File.Exists(headerPath)) throw new BindGenException($"header '{headerPath}' not found");
        EnsureLoaded();
        var index = clang_createIndex(0, 0);
        try
        {
            var tu = Parse(index, Path.GetFullPath(headerPath));
            try { return new HeaderReader { _tu = tu, _source = File.ReadAllBytes(headerPath) }.ReadUnit(); }
            finally { clang_disposeTranslationUnit(tu); }
        }
        finally { clang_disposeIndex(index); }
    }

    private static IntPtr Parse(IntPtr index, string path)
    {
        // C11 as the library is compiled; the macro record lets numeric #defines become constants.
        string[] args = ["-x", "c", "-std=c11"];
        var native = args.Select(a => Marshal.StringToCoTaskMemUTF8(a)).ToArray();
        var file = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            IntPtr tu;
            fixed (IntPtr* argv = native)
            {
                var err = clang_parseTranslationUnit2(index, (byte*)file, (byte**)argv, native.Length, IntPtr.Zero, 0,
                    CXTranslationUnit_DetailedPreprocessingRecord | CXTranslationUnit_SkipFunctionBodies, &tu);
                if (err != 0 || tu == IntPtr.Zero)
                    throw new BindGenException($"libclang could not parse '{path}' (CXErrorCode {err})");
            }
            var errors = new List<string>();
            var count = clang_getNumDiagnostics(tu);
            for (uint i = 0; i < count; i++)
            {
                var d = clang_getDiagnostic(tu, i);
                if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error)
                    errors.Add(Take(clang_formatDiagnostic(d, clang_defaultDiagnosticDisplayOptions())));
                clang_disposeDiagnostic(d);
            }
            if (errors.Count > 0)
            {
                clang_disposeTranslationUnit(tu);
                throw new BindGenException($"'{path}' does not compile as C11:\n  " + string.Join("\n  ", errors));
            }
            return tu;
        }
        finally
        {
            Marshal.FreeCoTaskMem(file);
            foreach (var a in native) Marshal.FreeCoTaskMem(a);
        }
    }

    private IReadOnlyList<Declaration> ReadUnit()
    {
        var top = Children(clang_getTranslationUnitCursor(_tu))
            .Where(Locations.IsInMainFile)
            .OrderBy(c => Locations.Of(c).Offset)
            .ToList();

        // Typedef names and docs of tags must be known before the tags themselves are visited.
        foreach (var c in top.Where(c => clang_getCursorKind(c) == CXCursorKind.TypedefDecl))
        {
            var underlying = TypeMapper.Unelaborate(clang_getTypedefDeclUnderlyingType(c));
            if (underlying.kind is not (CXTypeKind.Record or CXTypeKind.Enum)) continue;
            var tag = clang_getTypeDeclaration(underlying);
            var tagSpelling = Take(clang_getCursorSpelling(tag));
            if (tagSpelling.Length == 0 || tagSpelling.Contains('('))
                _types.NameAnonymousTag(tag, Take(clang_getCursorSpelling(c)));
            var doc = Take(clang_Cursor_getRawCommentText(c));
            if (doc.Length > 0) _typedefDocs.TryAdd(Locations.Key(tag), doc);
        }

        foreach (var c in top) Visit(c);
        return _declarations;
    }

    private void Visit(CXCursor c)
    {
        switch (clang_getCursorKind(c))
        {
            case CXCursorKind.StructDecl:
            case CXCursorKind.UnionDecl:
            case CXCursorKind.EnumDecl:
                VisitTag(c);
                break;
            case CXCursorKind.TypedefDecl:
            {
                // `typedef struct x x;` may be the only mention of an opaque struct.
                var underlying = TypeMapper.Unelaborate(clang_getTypedefDeclUnderlyingType(c));
                if (underlying.kind == CXTypeKind.Record) VisitTag(clang_getTypeDeclaration(underlying));
                break;
            }
            case CXCursorKind.FunctionDecl:
                VisitFunction(c);
                break;
            case CXCursorKind.MacroDefinition:
                VisitMacro(c);
                break;
            case CXCursorKind.VarDecl:
                throw new BindGenException($"{Locations.Describe(c)}: global variable '{Spelling(c)}' cannot be bound; export a function that returns it");
            case CXCursorKind.MacroExpansion:
            case CXCursorKind.InclusionDirective:
                break;
            case (CXCursorKind)602: // _Static_assert: compile-time only
                break;
            default:
                throw new BindGenException($"{Locations.Describe(c)}: declaration '{Spelling(c)}' (libclang cursor kind {(int)clang_getCursorKind(c)}) is not supported by BindGen");
        }
    }

    private void VisitTag(CXCursor c)
    {
        var kind = clang_getCursorKind(c);
        var name = _types.TagName(c);
        if (_emittedTags.Contains(name)) return;
        if (clang_isCursorDefinition(c) == 0)
        {
            var def = clang_getCursorDefinition(c);
            if (clang_Cursor_isNull(def) == 0 && Locations.IsInMainFile(def)) return; // emitted where defined
            if (kind == CXCursorKind.EnumDecl)
                throw new BindGenException($"{Locations.Describe(c)}: enum '{name}' is declared but never defined");
            _emittedTags.Add(name);
            _declarations.Add(new StructDeclaration(name, Doc(c), kind == CXCursorKind.UnionDecl, true, []));
            return;
        }
        _emittedTags.Add(name);
        _declarations.Add(kind == CXCursorKind.EnumDecl ? ReadEnum(c, name) : ReadStruct(c, name));
    }

    private EnumDeclaration ReadEnum(CXCursor c, string name)
    {
        var members = Children(c)
            .Where(m => clang_getCursorKind(m) == CXCursorKind.EnumConstantDecl)
            .Select(m => new EnumMember(Spelling(m), clang_getEnumConstantDeclValue(m), Doc(m)))
            .ToList();
        var integer = clang_getCanonicalType(clang_getEnumDeclIntegerType(c));
        // C leaves int vs unsigned int to the compiler (GCC picks unsigned, MSVC int); both are
        // 4 bytes, so `int` whenever the values fit keeps the output platform-independent.
        string underlying;
        if (clang_Type_getSizeOf(integer) == 4 && members.All(m => m.Value is >= int.MinValue and <= int.MaxValue))
            underlying = "int";
        else
            underlying = integer.kind switch
            {
                CXTypeKind.UInt => "uint",
                CXTypeKind.LongLong or CXTypeKind.Long => "long",
                CXTypeKind.ULongLong or CXTypeKind.ULong => "ulong",
                _ => throw new BindGenException($"{Locations.Describe(c)}: enum '{name}' has an underlying type ({TypeMapper.NativeSpelling(integer)}) BindGen cannot map"),
            };
        return new EnumDeclaration(name, Doc(c), underlying, members);
    }

    private StructDeclaration ReadStruct(CXCursor c, string name)
    {
        var isUnion = clang_getCursorKind(c) == CXCursorKind.UnionDecl;
        var fields = new List<FieldDeclaration>();
        long end = 0, maxAlign = 1;
        foreach (var f in Children(c))
        {
            var kind = clang_getCursorKind(f);
            if (kind is CXCursorKind.StructDecl or CXCursorKind.UnionDecl or CXCursorKind.EnumDecl)
                throw new BindGenException($"{Locations.Describe(f)}: '{name}' declares a nested struct/union/enum; declare it at top level with its own name");
            if (kind != CXCursorKind.FieldDecl) continue;
            var fieldName = Spelling(f);
            var where = $"{Locations.Describe(f)}: field '{name}.{fieldName}'";
            if (clang_Cursor_isBitField(f) != 0)
                throw new BindGenException($"{where} is a bit-field, which has no portable C# layout; use a whole integer");

            var type = clang_getCursorType(f);
            var canonical = clang_getCanonicalType(type);
            string cs;
            long length = 0;
            if (canonical.kind == CXTypeKind.ConstantArray)
            {
                // Multi-dimensional arrays flatten into one InlineArray of the innermost element.
                var element = TypeMapper.Unelaborate(type).kind == CXTypeKind.ConstantArray ? TypeMapper.Unelaborate(type) : canonical;
                length = 1;
                while (clang_getCanonicalType(element).kind == CXTypeKind.ConstantArray)
                {
                    length *= clang_getArraySize(element);
                    element = TypeMapper.Unelaborate(clang_getArrayElementType(element));
                }
                cs = _types.Map(element, where);
            }
            else if (canonical.kind == CXTypeKind.IncompleteArray)
                throw new BindGenException($"{where} is a flexible array member; pass the data through a separate pointer");
            else
                cs = _types.Map(type, where);

            // The C# struct is LayoutKind.Sequential (or Explicit at 0 for unions): reject anything
            // the C compiler lays out differently (packing, alignment attributes).
            var size = clang_Type_getSizeOf(type);
            var align = clang_Type_getAlignOf(type);
            var expected = isUnion ? 0 : (end + align - 1) / align * align;
            if (clang_Cursor_getOffsetOfField(f) != expected * 8)
                throw new BindGenException($"{where} is at bit offset {clang_Cursor_getOffsetOfField(f)}, not {expected * 8} as natural alignment gives; packed or over-aligned structs are not supported");
            end = isUnion ? Math.Max(end, size) : expected + size;
            maxAlign = Math.Max(maxAlign, align);

            fields.Add(new FieldDeclaration(Identifier(fieldName), cs, TypeMapper.NativeSpelling(type), length, Doc(f)));
        }
        var total = (end + maxAlign - 1) / maxAlign * maxAlign;
        var actual = clang_Type_getSizeOf(clang_getCursorType(c));
        if (total != actual)
            throw new BindGenException($"{Locations.Describe(c)}: '{name}' is {actual} bytes in C but {total} with natural alignment; packed or over-aligned structs are not supported");
        return new StructDeclaration(name, Doc(c), isUnion, false, fields);
    }

    private void VisitFunction(CXCursor c)
    {
        var name = Spelling(c);
        const int CX_SC_Static = 3;
        if (clang_Cursor_getStorageClass(c) == CX_SC_Static) return; // inline helpers are not exported
        if (!_emittedFunctions.Add(name)) return;
        var where = $"{Locations.Describe(c)}: function '{name}'";
        if (clang_Cursor_isVariadic(c) != 0)
            throw new BindGenException($"{where} is variadic, which P/Invoke cannot call portably");

        var result = clang_getCursorResultType(c);
        var parameters = new List<ParameterDeclaration>();
        var count = clang_Cursor_getNumArguments(c);
        for (uint i = 0; i < count; i++)
        {
            var p = clang_Cursor_getArgument(c, i);
            var pname = Spelling(p);
            if (pname.Length == 0) pname = $"param{i}";
            var type = clang_getCursorType(p);
            parameters.Add(new ParameterDeclaration(Identifier(pname), _types.Map(type, $"{where}, parameter '{pname}'"),
                TypeMapper.NativeSpelling(type)));
        }
        _declarations.Add(new FunctionDeclaration(name, Doc(c), _types.Map(result, $"{where}, return type"),
            TypeMapper.NativeSpelling(result), parameters));
    }

    private void VisitMacro(CXCursor c)
    {
        if (clang_Cursor_isMacroFunctionLike(c) != 0) return;
        var tokens = Tokens(c);
        if (tokens.Count < 2) return; // include guards and empty flags
        var name = tokens[0].Text;
        var body = tokens.Skip(1).ToList();
        while (body.Count >= 2 && body[0].Text == "(" && body[^1].Text == ")") body = body[1..^1];
        var negative = false;
        if (body.Count == 2 && body[0].Text == "-") { negative = true; body = body[1..]; }
        if (body.Count != 1 || body[0].Kind != CXTokenKind.Literal) return; // not a numeric constant
        var literal = NumericLiteral.Parse(body[0].Text, negative);
        if (literal is null) return; // character or string literal
        var definition = $"#define {name} {Join(tokens.Skip(1))}";
        _declarations.Add(new ConstantDeclaration(name, MacroDoc(c), literal.Value.CsType, literal.Value.Value, definition));
    }

    // Re-spells tokens compactly: a space only where two words would otherwise merge.
    private static string Join(IEnumerable<(CXTokenKind Kind, string Text)> tokens)
    {
        var sb = new System.Text.StringBuilder();
        var previousWasWord = false;
        foreach (var (kind, text) in tokens)
        {
            var isWord = kind is not CXTokenKind.Punctuation;
            if (isWord && previousWasWord) sb.Append(' ');
            sb.Append(text);
            previousWasWord = isWord;
        }
        return sb.ToString();
    }

    private List<(CXTokenKind Kind, string Text)> Tokens(CXCursor c)
    {
        CXToken* tokens;
        uint n;
        clang_tokenize(_tu, clang_getCursorExtent(c), &tokens, &n);
        var list = new List<(CXTokenKind, string)>((int)n);
        for (uint i = 0; i < n; i++)
            list.Add((clang_getTokenKind(tokens[i]), Take(clang_getTokenSpelling(_tu, tokens[i]))));
        if (tokens != null) clang_disposeTokens(_tu, tokens, n);
        return list;
    }

    private IReadOnlyList<string> Doc(CXCursor c)
    {
        var raw = Take(clang_Cursor_getRawCommentText(c));
        if (raw.Length > 0 && !CommentBelongsTo(c)) raw = "";
        if (raw.Length == 0) _typedefDocs.TryGetValue(Locations.Key(c), out raw);
        return DocComment.Lines(raw ?? "");
    }

    // Clang attaches comments to declarations only, so a macro's /** ... */ is found in the text:
    // the comment must end right before the line holding `#define`.
    private IReadOnlyList<string> MacroDoc(CXCursor c)
    {
        var i = (int)Math.Min(Offset(clang_getRangeStart(clang_getCursorExtent(c))), (uint)_source.Length);
        while (i > 0 && _source[i - 1] != '\n') i--;          // start of the #define line
        while (i > 0 && char.IsWhiteSpace((char)_source[i - 1])) i--;
        if (i < 2 || _source[i - 1] != '/' || _source[i - 2] != '*') return [];
        var text = System.Text.Encoding.UTF8.GetString(_source, 0, i);
        var start = text.LastIndexOf("/*", text.Length - 2, StringComparison.Ordinal);
        return start >= 0 && text.AsSpan(start).StartsWith("/**") ? DocComment.Lines(text[start..]) : [];
    }

    // Clang attaches a doc comment to the next declaration unless a ';', '{' or '}' intervenes, so
    // in `/** doc */ A = 1, B` both A and B would get it: a ',' in between means it is not B's.
    private bool CommentBelongsTo(CXCursor c)
    {
        var commentEnd = Offset(clang_getRangeEnd(clang_Cursor_getCommentRange(c)));
        var declStart = Offset(clang_getRangeStart(clang_getCursorExtent(c)));
        if (commentEnd > declStart || declStart > _source.Length) return true; // trailing /**< ... */
        return Array.IndexOf(_source, (byte)',', (int)commentEnd, (int)(declStart - commentEnd)) < 0;
    }

    private static uint Offset(CXSourceLocation location)
    {
        uint line, column, offset;
        clang_getSpellingLocation(location, null, &line, &column, &offset);
        return offset;
    }

    private static string Spelling(CXCursor c) => Take(clang_getCursorSpelling(c));

    private static readonly HashSet<string> CSharpKeywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    ];

    private static string Identifier(string name) => CSharpKeywords.Contains(name) ? "@" + name : name;

    private static List<CXCursor> Children(CXCursor parent)
    {
        var list = new List<CXCursor>();
        var handle = GCHandle.Alloc(list);
        try { clang_visitChildren(parent, &CollectChild, GCHandle.ToIntPtr(handle)); }
        finally { handle.Free(); }
        return list;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int CollectChild(CXCursor cursor, CXCursor parent, IntPtr data)
    {
        ((List<CXCursor>)GCHandle.FromIntPtr(data).Target!).Add(cursor);
        return CXChildVisit_Continue;
    }
}
