using System.Buffers.Binary;
using CsCheck;
using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Reliability;

/// <summary>
/// Property tests of the parsers that read user files: on any input, damaged or random, each either
/// returns a valid result or throws its one typed exception with a message -- never another
/// exception type, a hang or a crash. Inputs are random near-valid files (a valid one with bytes
/// flipped, cut or appended) and random text built from the format's own words.
/// </summary>
public class ParserPropertyTests
{
    // A few thousand cases a run: seconds in CI. CsCheck prints the seed of a failure; pass it
    // as seed: "..." to replay it.
    private const int Iterations = 3000;

    private static readonly Gen<byte[]> IdxFiles =
        Gen.Select(Gen.Int[1, 3], Gen.Int[0, 6], Gen.Int[0, 6], Gen.Int[0, 6], (nd, d0, d1, d2) => (nd, d0, d1, d2))
            .SelectMany(t => Gen.Select(Gen.Byte.Array[0, 8], Gen.Int[0, 5], Gen.Int[-1, 400], Gen.Byte,
                (extra, mutation, at, value) => Mutate(ValidIdx(t.nd, [t.d0, t.d1, t.d2]), extra, mutation, at, value)));

    [Fact]
    public void IdxReaderGivesDataOrInvalidDataException()
    {
        string dir = Directory.CreateTempSubdirectory("hpc-idx-prop").FullName;
        try
        {
            string path = Path.Combine(dir, "x.idx");
            int read = 0, refused = 0;
            Gen.Select(IdxFiles, Gen.Int[1, 3]).Sample((file, dims) =>
            {
                File.WriteAllBytes(path, file);
                try
                {
                    var (d, data) = Idx.Read(path, dims);
                    read++;
                    Assert.Equal(dims, d.Length);
                    Assert.Equal(d.Aggregate(1L, (p, x) => p * x), data.LongLength);
                }
                catch (InvalidDataException e)
                {
                    refused++;
                    Assert.Contains(path, e.Message);
                }
            }, iter: Iterations, threads: 1);
            Assert.True(read > 0 && refused > 0, $"{read} read, {refused} refused: the generator must reach both");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static readonly string[] SpecWords =
    [
        "input", "conv", "relu", "tanh", "sigmoid", "maxpool", "avgpool", "flatten", "linear", "dropout",
        "1x28x28", "3x8x8", "784", "0", "-1", "2147483648", "5x5", "3x3", "0x3", "pad=2", "pad=-1", "stride=2",
        "stride=0", "dilation=2", "10", "32", "0.5", "1.5", "nan", "#", "x", "=", "", "  ", "\t", "1e9",
    ];

    // Layer lines a spec is made of, good and bad; whether a sequence fits depends on the shapes.
    private static readonly string[] SpecLines =
    [
        "conv 4 3x3 pad=1", "conv 8 5x5", "conv 2 3x3 stride=2", "relu", "tanh", "sigmoid", "maxpool 2", "avgpool 2",
        "flatten", "linear 10", "linear 3", "dropout 0.5", "# a comment", "", "conv 0 3x3", "maxpool 0", "linear -1",
        "dropout 1.5", "conv 4 9x9", "input 784",
    ];

    private static readonly Gen<string> SpecTexts = Gen.OneOf(
        // a plausible spec: an input line, then layers
        Gen.Select(Gen.OneOf("input 1x28x28", "input 784", "input 3x8x8", "input 0", "input 1x4"), Gen.OneOf(SpecLines).Array[0, 8],
            (input, layers) => string.Join('\n', [input, .. layers])),
        // word soup from the format's own words
        Gen.OneOf(SpecWords).Array[0, 5].Select(words => string.Join(' ', words))
            .Array[0, 12].Select(lines => string.Join('\n', lines)));

    [Fact]
    public void ModelSpecParserGivesASpecOrModelSpecException()
    {
        int parsed = 0, refused = 0;
        SpecTexts.Sample(text =>
        {
            try
            {
                var spec = ModelSpec.Parse(text, "<prop>");
                parsed++;
                Assert.True(spec.InputFeatures > 0);
                Assert.True(spec.OutputFeatures > 0);
            }
            catch (ModelSpecException e)
            {
                refused++;
                Assert.StartsWith("<prop>", e.Message);
            }
        }, iter: Iterations, threads: 1);
        Assert.True(parsed > 0 && refused > 0, $"{parsed} parsed, {refused} refused: the generator must reach both");
    }

    [Fact]
    public void ModelSpecParserSurvivesArbitraryCharacters()
    {
        Gen.Char.Array[0, 200].Select(c => new string(c)).Sample(text =>
        {
            try { ModelSpec.Parse(text, "<prop>"); }
            catch (ModelSpecException) { }
        }, iter: Iterations, threads: 1);
    }

    private static byte[] ValidIdx(int nd, int[] dims)
    {
        long size = 1;
        for (int i = 0; i < nd; i++) size *= dims[i];
        var bytes = new byte[4 + 4 * nd + size];
        bytes[2] = 0x08;
        bytes[3] = (byte)nd;
        for (int i = 0; i < nd; i++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + 4 * i), (uint)dims[i]);
        for (long i = 4 + 4 * nd; i < bytes.Length; i++) bytes[i] = (byte)i;
        return bytes;
    }

    // 0: as is; 1: one byte set; 2: cut at a point; 3: bytes appended; 4: header dimension made huge; 5: random bytes
    private static byte[] Mutate(byte[] file, byte[] extra, int mutation, int at, byte value)
    {
        int pos = file.Length == 0 ? 0 : Math.Abs(at) % file.Length;
        switch (mutation)
        {
            case 1:
                if (file.Length > 0) file[pos] = value;
                return file;
            case 2: return file[..pos];
            case 3: return [.. file, .. extra];
            case 4:
                if (file.Length >= 8) BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(4), 0x80000000u | (uint)at);
                return file;
            case 5: return extra;
            default: return file;
        }
    }
}
