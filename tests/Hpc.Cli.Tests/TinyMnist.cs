using System.Buffers.Binary;

namespace Hpc.Cli.Tests;

/// <summary>Writes a small MNIST-shaped IDX data set (28x28 bytes, 10 classes) into a fresh temporary directory.</summary>
internal sealed class TinyMnist : IDisposable
{
    public TinyMnist(int train = 256, int test = 64)
    {
        Dir = Directory.CreateTempSubdirectory("hpc-cli-tests-").FullName;
        var rng = new Random(7);
        Write("train", train, rng);
        Write("t10k", test, rng);
    }

    public string Dir { get; }

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    // Class c lights up row band c of the image, plus noise: learnable in an epoch or two.
    private void Write(string prefix, int count, Random rng)
    {
        const int side = 28, pixels = side * side;
        var images = new byte[16 + count * pixels];
        var labels = new byte[8 + count];
        BinaryPrimitives.WriteUInt32BigEndian(images, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), side);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), side);
        BinaryPrimitives.WriteUInt32BigEndian(labels, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        for (int i = 0; i < count; i++)
        {
            int c = rng.Next(10);
            labels[8 + i] = (byte)c;
            for (int p = 0; p < pixels; p++)
            {
                int row = p / side;
                bool band = row >= 2 + 2 * c && row < 4 + 2 * c;
                images[16 + i * pixels + p] = (byte)(band ? 200 + rng.Next(56) : rng.Next(40));
            }
        }
        File.WriteAllBytes(Path($"{prefix}-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path($"{prefix}-labels-idx1-ubyte"), labels);
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
