using System.Runtime.InteropServices;

namespace Hpc.Nn;

/// <summary>
/// Replaces a file so that a crash, a kill or a full disk at any moment leaves either the old
/// content or the new one, never a mix: the bytes go to a temporary file in the same directory,
/// are flushed to the device, the temporary file is renamed over the target (atomic within one
/// file system), and the directory entry itself is flushed. Every file Hpc writes goes through here.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> as the new content of <paramref name="path"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        // The span cannot be captured by the callback, so copy-free writing goes through a pinned local.
        unsafe
        {
            fixed (byte* p = content)
            {
                var (ptr, length) = ((nint)p, content.Length);
                Write(path, s => s.Write(new ReadOnlySpan<byte>((byte*)ptr, length)));
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no byte-order mark) as the new content of <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));
    }

    /// <summary>
    /// Lets <paramref name="write"/> fill the new content of <paramref name="path"/>; the target is
    /// replaced only after it returned and the data reached the device. On any failure the
    /// temporary file is removed and the target is left as it was.
    /// </summary>
    public static void Write(string path, Action<Stream> write) => Write(path, write, OpenTemporary);

    /// <summary>As <see cref="Write(string, Action{Stream})"/> with the temporary file opened by <paramref name="openTemporary"/> (tests route it to a full device).</summary>
    internal static void Write(string path, Action<Stream> write, Func<string, FileStream> openTemporary)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new IOException($"{path}: is a directory");
        string dir = Path.GetDirectoryName(full) ?? throw new IOException($"{path}: has no directory");
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{path}: directory {dir} does not exist");
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        bool renamed = false;
        try
        {
            using (var stream = openTemporary(temp))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            renamed = true;
            SyncDirectory(dir);
        }
        finally
        {
            if (!renamed) TryDelete(temp);
        }
    }

    private static FileStream OpenTemporary(string temp) =>
        new(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);

    private static void TryDelete(string temp)
    {
        try { File.Delete(temp); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    // The rename is durable only once the directory is: fsync(2) on the directory itself, which
    // .NET cannot open as a FileStream. Windows has no such step (MoveFileEx is journaled by NTFS).
    private static void SyncDirectory(string dir)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        int fd = Posix.open(dir, OperatingSystem.IsLinux() ? Posix.O_RDONLY | Posix.O_DIRECTORY_LINUX : Posix.O_RDONLY);
        if (fd < 0) throw new IOException($"{dir}: cannot open the directory to flush it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Posix.fsync(fd) != 0)
                throw new IOException($"{dir}: flushing the directory failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Posix.close(fd);
        }
    }

    private static partial class Posix
    {
        public const int O_RDONLY = 0;
        public const int O_DIRECTORY_LINUX = 0x10000;

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static partial int fsync(int fd);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        public static partial int close(int fd);
    }
}
