namespace Hpc.BindGen;

// What the generator extracted from the header, in header order, already in C# terms.

internal abstract record Declaration(string Name, IReadOnlyList<string> Doc);

internal sealed record EnumMember(string Name, long Value, IReadOnlyList<string> Doc);

internal sealed record EnumDeclaration(string Name, IReadOnlyList<string> Doc, string Underlying,
    IReadOnlyList<EnumMember> Members) : Declaration(Name, Doc);

/// <summary>A struct field; ArrayLength &gt; 0 for a fixed-size C array (emitted as an InlineArray).</summary>
internal sealed record FieldDeclaration(string Name, string CsType, string NativeType, long ArrayLength,
    IReadOnlyList<string> Doc);

/// <summary>Opaque when the header never defines it (used only through pointers).</summary>
internal sealed record StructDeclaration(string Name, IReadOnlyList<string> Doc, bool IsUnion, bool IsOpaque,
    IReadOnlyList<FieldDeclaration> Fields) : Declaration(Name, Doc);

internal sealed record ParameterDeclaration(string Name, string CsType, string NativeType);

internal sealed record FunctionDeclaration(string Name, IReadOnlyList<string> Doc, string ReturnCsType,
    string ReturnNativeType, IReadOnlyList<ParameterDeclaration> Parameters) : Declaration(Name, Doc);

/// <summary>An object-like macro whose body is one numeric literal.</summary>
internal sealed record ConstantDeclaration(string Name, IReadOnlyList<string> Doc, string CsType, string Value,
    string NativeDefinition) : Declaration(Name, Doc);
