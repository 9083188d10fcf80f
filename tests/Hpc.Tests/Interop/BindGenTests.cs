using Hpc.BindGen;
using Xunit;

namespace Hpc.Tests.Interop;

// The generator on constructs hpcnn.h does not use yet but may: each must come out right, or be
// refused with a message that says where and why.
public sealed class BindGenTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bindgen-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Generate(string body)
    {
        var path = Path.Combine(_dir, "t.h");
        File.WriteAllText(path, "#include <stdint.h>\n#include <stddef.h>\n" + body);
        return Generator.Generate(path);
    }

    private void Rejects(string body, params string[] fragments)
    {
        var e = Assert.Throws<BindGenException>(() => Generate(body));
        foreach (var f in fragments) Assert.Contains(f, e.Message);
    }

    [Fact]
    public void FunctionsUseCNamesBlittableTypesAndNativeTypeNames()
    {
        var cs = Generate("""
            typedef struct t_ctx t_ctx;
            typedef int64_t t_index;
            /** Doc with <angle> & ampersand. */
            int32_t t_run(t_ctx* ctx, const float* in, t_index out, const char* name, t_ctx** made, uint8_t* bytes, size_t n, double xs[]);
            void t_nothing(void);
            static inline int t_helper(int x) { return x; }
            """);
        Assert.Contains("public partial struct t_ctx\n{\n}", cs);
        Assert.Contains("/// <summary>Doc with &lt;angle&gt; &amp; ampersand.</summary>\n    [LibraryImport(\"hpcnn\")]\n    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]\n    [return: NativeTypeName(\"int32_t\")]\n", cs);
        Assert.Contains("public static partial int t_run([NativeTypeName(\"t_ctx *\")] t_ctx* ctx, [NativeTypeName(\"const float *\")] float* @in, [NativeTypeName(\"t_index\")] long @out, [NativeTypeName(\"const char *\")] sbyte* name, [NativeTypeName(\"t_ctx **\")] t_ctx** made, [NativeTypeName(\"uint8_t *\")] byte* bytes, [NativeTypeName(\"size_t\")] nuint n, [NativeTypeName(\"double[]\")] double* xs);", cs);
        Assert.Contains("public static partial void t_nothing();", cs);
        Assert.DoesNotContain("t_helper", cs);
    }

    [Fact]
    public void EnumsKeepValuesOrderAndDocs()
    {
        var cs = Generate("""
            /** Modes. */
            typedef enum t_mode {
                T_A = -1,
                /** Second. */
                T_B = 5,
                T_C
            } t_mode;
            """);
        Assert.Contains("/// <summary>Modes.</summary>\npublic enum t_mode : int\n{\n    T_A = -1,\n\n    /// <summary>Second.</summary>\n    T_B = 5,\n    T_C = 6,\n}", cs);
    }

    [Fact]
    public void StructsGetInlineArraysUnionsAndTypedefNames()
    {
        var cs = Generate("""
            typedef struct { int64_t dims[8]; int32_t rank; float m[2][3]; } t_shape;
            typedef union t_u { int32_t i; double d; } t_u;
            """);
        Assert.Contains("public unsafe partial struct t_shape", cs);
        Assert.Contains("[NativeTypeName(\"int64_t[8]\")]\n    public _dims_e__FixedBuffer dims;", cs);
        Assert.Contains("[InlineArray(8)]\n    public partial struct _dims_e__FixedBuffer\n    {\n        public long e0;", cs);
        Assert.Contains("[InlineArray(6)]\n    public partial struct _m_e__FixedBuffer\n    {\n        public float e0;", cs);
        Assert.Contains("[StructLayout(LayoutKind.Explicit)]\npublic unsafe partial struct t_u", cs);
        Assert.Contains("[FieldOffset(0)]\n    public double d;", cs);
    }

    [Fact]
    public void NumericMacrosBecomeConstants()
    {
        var cs = Generate("""
            /** Most dimensions a shape has. */
            #define T_DIMS 8
            /* not a doc comment */
            #define T_PLAIN 1
            #define T_NEG (-3)
            #define T_MASK 0xFFFFFFFFu
            #define T_BIG 5000000000
            #define T_EPS 1e-5f
            #define T_HALF 0.5
            #define T_NAME "x"
            #define T_FN(x) (x)
            """);
        Assert.Contains("/// <summary>Most dimensions a shape has.</summary>\n    [NativeTypeName(\"#define T_DIMS 8\")]\n    public const int T_DIMS = 8;", cs);
        Assert.Contains("\n\n    [NativeTypeName(\"#define T_PLAIN 1\")]\n    public const int T_PLAIN = 1;", cs);
        Assert.Contains("public const int T_NEG = -3;", cs);
        Assert.Contains("public const uint T_MASK = 4294967295U;", cs);
        Assert.Contains("public const long T_BIG = 5000000000L;", cs);
        Assert.Contains("public const float T_EPS = 1E-05f;", cs);
        Assert.Contains("public const double T_HALF = 0.5;", cs);
        Assert.DoesNotContain("T_NAME", cs);
        Assert.DoesNotContain("T_FN", cs);
    }

    [Fact]
    public void FunctionPointersAreRejected() =>
        Rejects("typedef void (*t_cb)(int);\nvoid t_f(t_cb cb);", "t.h:4:6", "t_f", "cb", "function pointer");

    [Fact]
    public void PlatformSizedLongIsRejected() => Rejects("long t_f(void);", "t_f", "int64_t");

    [Fact]
    public void PackedStructsAreRejected() =>
        Rejects("typedef struct __attribute__((packed)) t_p { char a; int32_t b; } t_p;", "t_p.b", "packed");

    [Fact]
    public void BitFieldsAreRejected() => Rejects("typedef struct t_b { int32_t a : 3; } t_b;", "t_b.a", "bit-field");

    [Fact]
    public void VariadicFunctionsAreRejected() => Rejects("int32_t t_log(const char* fmt, ...);", "t_log", "variadic");

    [Fact]
    public void GlobalVariablesAreRejected() => Rejects("extern int32_t t_global;", "t_global");

    [Fact]
    public void HeadersThatDoNotCompileAreRejectedWithClangsMessage() =>
        Rejects("int32_t t_f(int32_t x,", "does not compile", "error:");
}
