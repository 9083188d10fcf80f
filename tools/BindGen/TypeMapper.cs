using static Hpc.BindGen.LibClang;

namespace Hpc.BindGen;

/// <summary>Maps C types to blittable C# spellings (ClangSharp's conventions). Anything with no
/// exact, platform-independent C# equivalent is rejected rather than guessed.</summary>
internal sealed class TypeMapper
{
    // Fixed-width typedefs are mapped by name, before looking through them, so that the output
    // does not depend on how this platform's headers define them.
    private static readonly Dictionary<string, string> KnownTypedefs = new()
    {
        ["int8_t"] = "sbyte", ["uint8_t"] = "byte",
        ["int16_t"] = "short", ["uint16_t"] = "ushort",
        ["int32_t"] = "int", ["uint32_t"] = "uint",
        ["int64_t"] = "long", ["uint64_t"] = "ulong",
        ["size_t"] = "nuint", ["ptrdiff_t"] = "nint",
        ["intptr_t"] = "nint", ["uintptr_t"] = "nuint",
    };

    // Anonymous tags named by a typedef (`typedef struct { ... } name;`), keyed by tag location.
    private readonly Dictionary<string, string> _anonymousTagNames = new();

    public void NameAnonymousTag(CXCursor tag, string typedefName) => _anonymousTagNames[Locations.Key(tag)] = typedefName;

    /// <summary>The C# name of a struct, union or enum declaration.</summary>
    public string TagName(CXCursor tag)
    {
        if (_anonymousTagNames.TryGetValue(Locations.Key(tag), out var name)) return name;
        var spelling = Take(clang_getCursorSpelling(tag));
        if (clang_Cursor_isAnonymous(tag) != 0 || spelling.Length == 0 || spelling.Contains('('))
            throw new BindGenException($"{Locations.Describe(tag)}: anonymous struct/union/enum without a typedef name cannot be bound; give it a tag or a typedef");
        return spelling;
    }

    /// <summary>The C spelling of a type, as clang prints it (kept in [NativeTypeName]).</summary>
    public static string NativeSpelling(CXType type) => Take(clang_getTypeSpelling(type));

    /// <summary>C# type for a function parameter or return value, or a struct field that is not an array.</summary>
    public string Map(CXType type, string where)
    {
        switch (type.kind)
        {
            case CXTypeKind.Elaborated:
                return Map(clang_Type_getNamedType(type), where);
            case CXTypeKind.Typedef:
            {
                var decl = clang_getTypeDeclaration(type);
                var name = Take(clang_getCursorSpelling(decl));
                if (KnownTypedefs.TryGetValue(name, out var known)) return known;
                var underlying = Unelaborate(clang_getTypedefDeclUnderlyingType(decl));
                if (underlying.kind is CXTypeKind.Record or CXTypeKind.Enum)
                    return TagName(clang_getTypeDeclaration(underlying));
                return Map(underlying, where);
            }
            case CXTypeKind.Pointer:
            {
                var pointee = clang_getPointeeType(type);
                var canonical = clang_getCanonicalType(pointee);
                if (canonical.kind is CXTypeKind.FunctionProto or CXTypeKind.FunctionNoProto)
                    throw new BindGenException($"{where}: function pointer type '{NativeSpelling(type)}' is not supported by BindGen; pass an opaque pointer or add support in tools/BindGen/TypeMapper.cs");
                return Map(pointee, where) + "*";
            }
            case CXTypeKind.ConstantArray:
            case CXTypeKind.IncompleteArray:
                // Only reached for parameters, where C arrays decay to pointers.
                return Map(clang_getArrayElementType(type), where) + "*";
            case CXTypeKind.Record:
            case CXTypeKind.Enum:
                return TagName(clang_getTypeDeclaration(type));
            case CXTypeKind.Void: return "void";
            case CXTypeKind.Bool: return "byte";
            case CXTypeKind.Char_S:
            case CXTypeKind.SChar: return "sbyte";
            case CXTypeKind.Char_U:
            case CXTypeKind.UChar: return "byte";
            case CXTypeKind.Short: return "short";
            case CXTypeKind.UShort: return "ushort";
            case CXTypeKind.Int: return "int";
            case CXTypeKind.UInt: return "uint";
            case CXTypeKind.LongLong: return "long";
            case CXTypeKind.ULongLong: return "ulong";
            case CXTypeKind.Float: return "float";
            case CXTypeKind.Double: return "double";
            case CXTypeKind.Long:
            case CXTypeKind.ULong:
                throw new BindGenException($"{where}: '{NativeSpelling(type)}' is 32-bit on Windows and 64-bit on Linux; use int32_t or int64_t in the header");
            default:
                throw new BindGenException($"{where}: type '{NativeSpelling(type)}' (libclang kind {(int)type.kind}) is not supported by BindGen");
        }
    }

    public static CXType Unelaborate(CXType type) =>
        type.kind == CXTypeKind.Elaborated ? clang_Type_getNamedType(type) : type;
}
