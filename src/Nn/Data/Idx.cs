using System.Buffers.Binary;
using System.IO.Compression;

namespace Hpc.Nn;

/// <summary>
/// Reader of the IDX format of MNIST (big-endian header: two zero bytes, a type byte, a dimension
/// count, then one uint32 per dimension; then the data). Only unsigned-byte data (type 0x08) is
/// used by MNIST and supported. Files ending in ".gz" are decompressed on the fly. Every problem
/// is an <see cref="InvalidDataException"/> with a one-line message naming the file.
/// </summary>
public static class Idx
{
    private const byte UByte = 0x08;

    /// <summary>Reads an IDX3 ubyte image file (magic 0x00000803).</summary>
    public static IdxImages ReadImages(string path)
    {
        var (dims, data) = Read(path, expectedDims: 3, what: "images");
        return new IdxImages(dims[0], dims[1], dims[2], data);
    }

    /// <summary>Reads an IDX1 ubyte label file (magic 0x00000801).</summary>
    public static byte[] ReadLabels(string path) => Read(path, expectedDims: 1, what: "labels").Data;

    /// <summary>Reads any ubyte IDX file with <paramref name="expectedDims"/> dimensions.</summary>
    public static (int[] Dims, byte[] Data) Read(string path, int expectedDims, string what = "data")
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = ReadAllBytes(path);
        uint expectedMagic = (uint)(UByte << 8 | expectedDims);
        if (bytes.Length < 4)
            throw Bad(path, $"truncated: {bytes.Length} bytes, too short for an IDX header");
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (magic != expectedMagic)
            throw Bad(path, $"wrong magic 0x{magic:X8}, expected 0x{expectedMagic:X8} (IDX ubyte {what}, {expectedDims} dimension{(expectedDims == 1 ? "" : "s")})");
        int header = 4 + 4 * expectedDims;
        if (bytes.Length < header)
            throw Bad(path, $"truncated: {bytes.Length} bytes, the header alone needs {header}");
        var dims = new int[expectedDims];
        long size = 1;
        for (int i = 0; i < expectedDims; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (d > int.MaxValue) throw Bad(path, $"dimension {i} is {d}, too large");
            dims[i] = (int)d;
            size *= d;
            if (size > Array.MaxLength) throw Bad(path, $"header declares more than {Array.MaxLength} bytes of data");
        }
        long available = bytes.Length - header;
        string shape = string.Join("x", dims);
        if (available < size)
            throw Bad(path, $"truncated: header declares {shape} = {size} bytes of {what}, the file holds {available}");
        if (available > size)
            throw Bad(path, $"{available - size} unexpected bytes after the {shape} {what} the header declares");
        return (dims, bytes[header..]);
    }

    /// <summary>Path of <paramref name="name"/> or <paramref name="name"/>.gz in <paramref name="dir"/>, or null.</summary>
    public static string? Find(string dir, string name)
    {
        string plain = Path.Combine(dir, name);
        if (File.Exists(plain)) return plain;
        string gz = plain + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    private static byte[] ReadAllBytes(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return File.ReadAllBytes(path);
        try
        {
            using var file = File.OpenRead(path);
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            return ms.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw Bad(path, $"not a valid gzip stream ({e.Message.TrimEnd('.')})");
        }
        catch (EndOfStreamException)
        {
            throw Bad(path, "truncated gzip stream");
        }
    }

    private static InvalidDataException Bad(string path, string problem) => new($"{path}: {problem}");
}
