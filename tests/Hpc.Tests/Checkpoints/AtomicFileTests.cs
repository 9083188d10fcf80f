using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Checkpoints;

/// <summary>Replacing a file leaves the old content or the new one; a failing write leaves the old one and no litter.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpc-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReplacesTheFileAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_dir, "a.txt");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");
        Assert.Equal("two", File.ReadAllText(path));
        Assert.Equal(["a.txt"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void AFullDiskFailsCleanlyAndKeepsThePreviousCheckpoint()
    {
        if (!File.Exists("/dev/full")) return; // Linux only; CI runs there
        using var net = Models.Mlp([20, 10]);
        string path = Path.Combine(_dir, "model.hpc");
        net.Save(path);
        byte[] before = File.ReadAllBytes(path);
        string? temp = null;
        var e = Assert.ThrowsAny<IOException>(() => AtomicFile.Write(path, s => s.Write(new byte[1 << 20]), t =>
        {
            temp = t;
            // The temporary file is created where it would be, but its bytes go to a device that is always full.
            File.WriteAllBytes(t, []);
            return new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 4096);
        }));
        Assert.Contains("space", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(temp), "the temporary file was left behind");
        var (loaded, _) = Checkpoint.Load(path);
        loaded.Dispose();
    }

    [Fact]
    public void ADirectoryOrAMissingDirectoryIsRefused()
    {
        Assert.Contains("is a directory", Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(_dir, "x")).Message);
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(Path.Combine(_dir, "no", "such.txt"), "x"));
    }
}
