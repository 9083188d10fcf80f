using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Checkpoints;

/// <summary>
/// Damaged files: truncation at every section boundary and at random offsets, every header byte
/// flipped, a sample of payload flips, a newer version, an empty file, a directory. Each is one
/// <see cref="CheckpointException"/> naming the file; never another exception, never a model.
/// </summary>
public sealed class CheckpointDamageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpc-damage-").FullName;
    private readonly string _good;
    private readonly byte[] _bytes;

    public CheckpointDamageTests()
    {
        using var net = Models.Mlp([6, 5, 3], "prelu", dropout: 0.1f, seed: 1);
        using var opt = new Adam(net.Parameters());
        _good = Path.Combine(_dir, "good.hpc");
        Checkpoint.Save(_good, net, opt, new Dictionary<string, string> { ["data"] = "unit" });
        _bytes = File.ReadAllBytes(_good);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CheckpointException Damaged(byte[] bytes)
    {
        string path = Path.Combine(_dir, "bad.hpc");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Equal(path, e.Path);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.InRange(e.Offset, 0, Math.Max(bytes.Length, _bytes.Length));
        return e;
    }

    private List<long> SectionBoundaries()
    {
        var cuts = new List<long> { 0, 8, 63, 64 };
        int count = BitConverter.ToInt32(_bytes, 12);
        for (int i = 0; i < count; i++)
        {
            long offset = BitConverter.ToInt64(_bytes, 64 + 32 * i + 8), length = BitConverter.ToInt64(_bytes, 64 + 32 * i + 16);
            cuts.AddRange([offset, offset + 1, offset + length - 1, offset + length]);
        }
        cuts.Add(_bytes.Length - 8);
        cuts.Add(_bytes.Length - 1);
        return cuts;
    }

    [Fact]
    public void TheUndamagedFileLoads()
    {
        var (model, meta) = Checkpoint.Load(_good);
        model.Dispose();
        Assert.Equal("unit", meta["data"]);
    }

    [Fact]
    public void TruncationAtEverySectionBoundaryIsDetected()
    {
        var boundaries = SectionBoundaries();
        Assert.True(boundaries.Count >= 20);
        foreach (long cut in boundaries)
        {
            var e = Damaged(_bytes[..(int)cut]);
            Assert.True(cut == 0 ? e.Reason.Contains("empty") : e.Reason.Contains("truncated") || e.Reason.Contains("magic"), $"cut at {cut}: {e.Message}");
        }
    }

    [Fact]
    public void TruncationAtRandomOffsetsIsDetected()
    {
        var rng = new Random(17);
        for (int i = 0; i < 40; i++) Damaged(_bytes[..rng.Next(_bytes.Length)]);
    }

    [Fact]
    public void EveryHeaderByteFlipIsDetected()
    {
        for (int i = 0; i < 64; i++)
        {
            var bad = (byte[])_bytes.Clone();
            bad[i] ^= 0x5A;
            var e = Damaged(bad);
            Assert.Equal("header", e.Section);
        }
    }

    [Fact]
    public void SectionTableAndPayloadFlipsAreDetectedAndNamed()
    {
        var rng = new Random(5);
        var sections = new HashSet<string>();
        for (int i = 0; i < 120; i++)
        {
            var bad = (byte[])_bytes.Clone();
            int at = 64 + rng.Next(_bytes.Length - 64);
            bad[at] ^= (byte)(1 << rng.Next(8));
            sections.Add(Damaged(bad).Section);
        }
        Assert.Contains("parameters section", sections);
        Assert.Contains("optimizer section", sections);
    }

    [Fact]
    public void AppendedBytesAreDetected() => Assert.Contains("after the declared end", Damaged([.. _bytes, 0]).Reason);

    [Fact]
    public void ANewerVersionSaysSo()
    {
        var bad = (byte[])_bytes.Clone();
        BitConverter.GetBytes(2u).CopyTo(bad, 8);
        // A genuine newer file has a valid header checksum: recompute it.
        BitConverter.GetBytes(System.IO.Hashing.XxHash64.HashToUInt64(bad.AsSpan(0, 56))).CopyTo(bad, 56);
        var e = Damaged(bad);
        Assert.Equal(8, e.Offset);
        Assert.Contains("format version 2; this build of Hpc reads version 1 (the file is newer", e.Reason);
    }

    [Fact]
    public void EmptyFileMissingFileAndDirectoryAreCheckpointErrors()
    {
        Assert.Contains("empty", Damaged([]).Reason);
        Assert.Contains("does not exist", Assert.Throws<CheckpointException>(() => Checkpoint.Load(Path.Combine(_dir, "none.hpc"))).Reason);
        Assert.Contains("is a directory", Assert.Throws<CheckpointException>(() => Checkpoint.Load(_dir)).Reason);
        Assert.Contains("magic", Damaged("not a checkpoint at all, just some text"u8.ToArray()).Reason);
    }
}
