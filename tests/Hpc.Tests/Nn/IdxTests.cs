using System.Buffers.Binary;
using System.IO.Compression;
using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Nn;

public sealed class IdxTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpc-idx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Images(int count, int rows, int cols, Func<int, byte> pixel)
    {
        var bytes = new byte[16 + count * rows * cols];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        for (int i = 16; i < bytes.Length; i++) bytes[i] = pixel(i - 16);
        return bytes;
    }

    private static byte[] Labels(params byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    private string Write(string name, byte[] bytes, bool gzip = false)
    {
        string path = Path.Combine(_dir, gzip ? name + ".gz" : name);
        if (!gzip) File.WriteAllBytes(path, bytes);
        else
        {
            using var f = File.Create(path);
            using var gz = new GZipStream(f, CompressionLevel.Fastest);
            gz.Write(bytes);
        }
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesAndLabels(bool gzip)
    {
        var img = Idx.ReadImages(Write("i", Images(3, 2, 4, i => (byte)(i * 7)), gzip));
        Assert.Equal((3, 2, 4), (img.Count, img.Rows, img.Cols));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (byte)(i * 7)), img.Pixels);
        Assert.Equal([5, 0, 9], Idx.ReadLabels(Write("l", Labels(5, 0, 9), gzip)));
    }

    [Fact]
    public void TruncatedDataIsAOneLineErrorNamingTheFile()
    {
        var bytes = Images(3, 2, 2, _ => 1);
        string path = Write("short", bytes[..^3]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
        Assert.StartsWith(path + ": truncated", e.Message);
        Assert.Contains("3x2x2 = 12 bytes", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void TruncatedHeaderIsAnError()
    {
        string path = Write("hdr", Images(1, 1, 1, _ => 0)[..10]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void WrongMagicIsAnError()
    {
        // A label file where images are expected.
        string path = Write("labels-as-images", Labels(1, 2, 3));
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
        Assert.Equal($"{path}: wrong magic 0x00000801, expected 0x00000803 (IDX ubyte images, 3 dimensions)", e.Message);
    }

    [Fact]
    public void TrailingBytesAreAnError()
    {
        string path = Write("long", [.. Labels(1, 2), 0xFF]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path));
        Assert.Contains("1 unexpected bytes", e.Message);
    }

    [Fact]
    public void CorruptGzipIsAnError()
    {
        string path = Path.Combine(_dir, "bad.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path));
        Assert.StartsWith(path + ":", e.Message);
    }

    [Fact]
    public void MnistDatasetNormalisesAndChecksCounts()
    {
        Write(MnistDataset.TrainImages, Images(2, 2, 2, i => (byte)(i == 0 ? 255 : i)));
        Write(MnistDataset.TrainLabels, Labels(3, 7), gzip: true);
        Write(MnistDataset.TestImages, Images(1, 2, 2, _ => 51), gzip: true);
        Write(MnistDataset.TestLabels, Labels(9));
        var (train, test) = MnistDataset.Load(_dir);
        Assert.Equal(2, train.Count);
        Assert.Equal(4, train.FeatureCount);
        Assert.Equal([3, 7], train.Labels);
        Assert.Equal(1f, train.Features[0]);
        Assert.Equal(1f / 255f, train.Features[1]);
        Assert.Equal(0.2f, test.Features[0]);

        Write(MnistDataset.TestLabels, Labels(9, 9));
        var e = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(_dir));
        Assert.Contains("2 labels but", e.Message);
    }

    [Fact]
    public void MnistDatasetNamesAMissingFile()
    {
        var e = Assert.Throws<FileNotFoundException>(() => MnistDataset.Load(_dir));
        Assert.Contains(MnistDataset.TrainImages, e.Message);
    }

    [Fact]
    public void MnistDatasetRejectsALabelAbove9()
    {
        Write(MnistDataset.TrainImages, Images(1, 1, 1, _ => 0));
        Write(MnistDataset.TrainLabels, Labels(10));
        Write(MnistDataset.TestImages, Images(1, 1, 1, _ => 0));
        Write(MnistDataset.TestLabels, Labels(0));
        var e = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(_dir));
        Assert.Contains("label #0 is 10", e.Message);
    }
}
