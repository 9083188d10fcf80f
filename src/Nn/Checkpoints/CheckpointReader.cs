using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Hpc.Nn;

/// <summary>
/// Reads and validates a checkpoint file: header, section table, every checksum, every length and
/// offset, before any array is sized from the file's numbers. Every problem is a
/// <see cref="CheckpointException"/> naming the file, the section and the byte offset.
/// </summary>
internal static class CheckpointReader
{
    public static CheckpointContent Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new CheckpointException(path, "file", 0, "is a directory, not a checkpoint file");
        if (!File.Exists(path)) throw new CheckpointException(path, "file", 0, "does not exist");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, "file", 0, $"cannot be read: {e.Message}");
        }
        return Parse(path, bytes);
    }

    public static CheckpointContent Parse(string path, ReadOnlySpan<byte> file)
    {
        var sections = ValidateLayout(path, file);
        var content = new CheckpointContent();
        bool haveArch = false, haveParams = false;
        foreach (var (tag, offset, length) in sections)
        {
            var c = new Cursor(path, CheckpointFormat.SectionName(tag), file, offset, length);
            content.SectionOffsets[tag] = offset;
            switch (tag)
            {
                case CheckpointFormat.Metadata:
                    uint n = c.Count(8, "metadata entries");
                    for (uint i = 0; i < n; i++) content.Metadata.Add(new(c.String("key"), c.String("value")));
                    break;
                case CheckpointFormat.Architecture:
                    content.Architecture = c.String("architecture text");
                    haveArch = true;
                    break;
                case CheckpointFormat.Parameters:
                    content.Parameters = c.Tensors();
                    haveParams = true;
                    break;
                case CheckpointFormat.Optimizer:
                    content.Optimizer = ReadOptimizer(ref c);
                    break;
                case CheckpointFormat.TrainingState:
                    uint s = c.Count(8, "state entries");
                    for (uint i = 0; i < s; i++)
                    {
                        string key = c.String("state name");
                        uint len = c.Count(8, "state values");
                        var values = new ulong[len];
                        for (int j = 0; j < values.Length; j++) values[j] = c.U64();
                        content.State.Add(new(key, values));
                    }
                    break;
                default:
                    throw new CheckpointException(path, "section table", offset,
                        $"unknown section '{CheckpointFormat.TagText(tag)}' in a version-{CheckpointFormat.Version} file");
            }
            c.End();
        }
        if (!haveArch) throw new CheckpointException(path, "section table", CheckpointFormat.HeaderSize, "no architecture section");
        if (!haveParams) throw new CheckpointException(path, "section table", CheckpointFormat.HeaderSize, "no parameters section");
        return content;
    }

    private static OptimizerCheckpointContent ReadOptimizer(ref Cursor c)
    {
        var opt = new OptimizerCheckpointContent { Kind = c.String("optimizer kind") };
        uint h = c.Count(12, "hyper-parameters");
        for (uint i = 0; i < h; i++) opt.HyperParameters.Add(new(c.String("hyper-parameter name"), BitConverter.Int64BitsToDouble((long)c.U64())));
        uint k = c.Count(12, "counters");
        for (uint i = 0; i < k; i++) opt.Counters.Add(new(c.String("counter name"), (long)c.U64()));
        opt.Buffers = c.Tensors();
        return opt;
    }

    /// <summary>Header, table and checksums; returns the sections in file order.</summary>
    private static List<(uint Tag, long Offset, long Length)> ValidateLayout(string path, ReadOnlySpan<byte> file)
    {
        const int minimum = CheckpointFormat.HeaderSize + CheckpointFormat.TrailerSize;
        if (file.Length == 0) throw new CheckpointException(path, "header", 0, "the file is empty");
        if (file.Length < CheckpointFormat.Magic.Length || !file[..CheckpointFormat.Magic.Length].SequenceEqual(CheckpointFormat.Magic))
            throw new CheckpointException(path, "header", 0, "not an Hpc checkpoint (wrong magic; expected \"HPCCKPT\")");
        if (file.Length < minimum)
            throw new CheckpointException(path, "header", file.Length, $"truncated: {file.Length} bytes, a checkpoint has at least {minimum}");
        var header = file[..CheckpointFormat.HeaderSize];
        if (BinaryPrimitives.ReadUInt64LittleEndian(header[CheckpointFormat.HeaderHashOffset..]) != XxHash64.HashToUInt64(header[..CheckpointFormat.HeaderHashOffset]))
            throw new CheckpointException(path, "header", CheckpointFormat.HeaderHashOffset, "header checksum mismatch (the header is damaged)");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[CheckpointFormat.VersionOffset..]);
        if (version == 0 || version > CheckpointFormat.Version)
            throw new CheckpointException(path, "header", CheckpointFormat.VersionOffset,
                $"format version {version}; this build of Hpc reads version {CheckpointFormat.Version}{(version > CheckpointFormat.Version ? " (the file is newer: upgrade Hpc)" : "")}");
        long declared = BinaryPrimitives.ReadInt64LittleEndian(header[CheckpointFormat.FileLengthOffset..]);
        if (declared != file.Length)
            throw new CheckpointException(path, "header", Math.Min(declared, file.Length),
                declared > file.Length ? $"truncated: the header declares {declared} bytes, the file holds {file.Length}"
                                       : $"{file.Length - declared} bytes after the declared end ({declared} bytes)");
        for (int i = 40; i < CheckpointFormat.HeaderHashOffset; i++)
            if (header[i] != 0) throw new CheckpointException(path, "header", i, "reserved header bytes are not zero");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(header[CheckpointFormat.SectionCountOffset..]);
        long tableOffset = BinaryPrimitives.ReadInt64LittleEndian(header[CheckpointFormat.TableOffsetOffset..]);
        if (count == 0 || count > CheckpointFormat.MaxSections)
            throw new CheckpointException(path, "header", CheckpointFormat.SectionCountOffset, $"{count} sections (expected 1 to {CheckpointFormat.MaxSections})");
        long tableEnd = tableOffset + (long)count * CheckpointFormat.TableEntrySize;
        long trailer = file.Length - CheckpointFormat.TrailerSize;
        if (tableOffset != CheckpointFormat.HeaderSize || tableEnd > trailer)
            throw new CheckpointException(path, "header", CheckpointFormat.TableOffsetOffset, $"section table at {tableOffset} with {count} entries does not fit the file");
        var table = file[(int)tableOffset..(int)tableEnd];
        if (BinaryPrimitives.ReadUInt64LittleEndian(header[CheckpointFormat.TableHashOffset..]) != XxHash64.HashToUInt64(table))
            throw new CheckpointException(path, "section table", tableOffset, "section table checksum mismatch (the table is damaged)");

        var sections = new List<(uint, long, long)>((int)count);
        long previousEnd = tableEnd;
        for (int i = 0; i < count; i++)
        {
            long at = tableOffset + (long)i * CheckpointFormat.TableEntrySize;
            var e = table.Slice(i * CheckpointFormat.TableEntrySize, CheckpointFormat.TableEntrySize);
            uint tag = BinaryPrimitives.ReadUInt32LittleEndian(e);
            long offset = BinaryPrimitives.ReadInt64LittleEndian(e[8..]);
            long length = BinaryPrimitives.ReadInt64LittleEndian(e[16..]);
            ulong hash = BinaryPrimitives.ReadUInt64LittleEndian(e[24..]);
            string name = CheckpointFormat.SectionName(tag);
            if (offset % CheckpointFormat.Alignment != 0 || offset < previousEnd || length < 0 || length > trailer - offset)
                throw new CheckpointException(path, name, at, $"entry places the section at {offset} ({length} bytes), outside bytes {previousEnd}..{trailer} or not 64-byte aligned");
            foreach (var (t, _, _) in sections)
                if (t == tag) throw new CheckpointException(path, name, at, "appears twice in the section table");
            if (XxHash64.HashToUInt64(file.Slice((int)offset, (int)length)) != hash)
                throw new CheckpointException(path, name, offset, $"checksum mismatch over its {length} bytes (the section is damaged)");
            sections.Add((tag, offset, length));
            previousEnd = offset + length;
        }
        // Last: the padding between sections is covered only by the whole-file checksum.
        if (BinaryPrimitives.ReadUInt64LittleEndian(file[(int)trailer..]) != XxHash64.HashToUInt64(file[..(int)trailer]))
            throw new CheckpointException(path, "trailer", trailer, "whole-file checksum mismatch (bytes between sections are damaged)");
        return sections;
    }

    /// <summary>A bounds-checked reader over one section; every failure names the absolute offset.</summary>
    private ref struct Cursor
    {
        private readonly string _path;
        private readonly string _section;
        private readonly ReadOnlySpan<byte> _file;
        private readonly long _start;
        private readonly long _end;
        private long _pos;
        private long _payloadEnd;

        public Cursor(string path, string section, ReadOnlySpan<byte> file, long offset, long length)
        {
            _path = path;
            _section = section;
            _file = file;
            _start = offset;
            _end = offset + length;
            _pos = offset;
            _payloadEnd = offset;
        }

        private CheckpointException Error(long at, string reason) => new(_path, _section, at, reason);

        private ReadOnlySpan<byte> Take(long n, string what)
        {
            if (n < 0 || n > _end - _pos) throw Error(_pos, $"truncated: {what} needs {n} bytes, the section has {_end - _pos} left");
            var s = _file.Slice((int)_pos, (int)n);
            _pos += n;
            return s;
        }

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "a 32-bit field"));

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "a 64-bit field"));

        /// <summary>An element count, checked against the bytes left (each element takes at least <paramref name="minBytes"/>).</summary>
        public uint Count(int minBytes, string what)
        {
            long at = _pos;
            uint n = U32();
            if ((long)n * minBytes > _end - _pos) throw Error(at, $"{n} {what} cannot fit in the {_end - _pos} bytes left");
            return n;
        }

        public string String(string what)
        {
            long at = _pos;
            uint n = U32();
            if (n > _end - _pos) throw Error(at, $"{what} of {n} bytes runs past the section end ({_end - _pos} bytes left)");
            try { return new UTF8Encoding(false, true).GetString(Take(n, what)); }
            catch (DecoderFallbackException) { throw Error(at, $"{what} is not valid UTF-8"); }
        }

        public List<TensorEntry> Tensors()
        {
            uint count = Count(32, "tensors");
            var dir = new List<(string Name, int[] Shape, long Offset, long Bytes, long At)>((int)count);
            for (uint i = 0; i < count; i++)
            {
                long at = _pos;
                string name = String("tensor name");
                if (name.Length == 0) throw Error(at, "a tensor without a name");
                long rankAt = _pos;
                uint rank = U32();
                if (rank == 0 || rank > CheckpointFormat.MaxRank) throw Error(rankAt, $"tensor '{name}' has rank {rank} (expected 1 to {CheckpointFormat.MaxRank})");
                var shape = new int[rank];
                long elements = 1;
                for (int d = 0; d < rank; d++)
                {
                    long dimAt = _pos;
                    long dim = (long)U64();
                    if (dim <= 0 || dim > int.MaxValue) throw Error(dimAt, $"tensor '{name}' dimension {d} is {dim}");
                    shape[d] = (int)dim;
                    elements = elements > int.MaxValue / dim ? long.MaxValue : elements * dim;
                }
                long offsetAt = _pos;
                long offset = (long)U64();
                long bytes = (long)U64();
                if (elements > int.MaxValue || bytes != 4 * elements)
                    throw Error(offsetAt, $"tensor '{name}' [{string.Join(", ", shape)}] declares {bytes} payload bytes, its shape needs {4 * Math.Min(elements, int.MaxValue)}");
                foreach (var t in dir)
                    if (t.Name == name) throw Error(at, $"tensor '{name}' appears twice");
                dir.Add((name, shape, offset, bytes, offsetAt));
            }
            long previous = _pos;
            var result = new List<TensorEntry>(dir.Count);
            foreach (var (name, shape, offset, bytes, at) in dir)
            {
                if (offset % CheckpointFormat.Alignment != 0 || offset < previous || bytes > _end - offset)
                    throw Error(at, $"tensor '{name}' payload at {offset} ({bytes} bytes) is outside bytes {previous}..{_end} of the section or not 64-byte aligned");
                var values = new float[bytes / 4];
                var src = _file.Slice((int)offset, (int)bytes);
                if (BitConverter.IsLittleEndian) src.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
                else for (int j = 0; j < values.Length; j++) values[j] = BinaryPrimitives.ReadSingleLittleEndian(src[(4 * j)..]);
                result.Add(new TensorEntry(name, shape, null, values, offset));
                previous = offset + bytes;
            }
            _payloadEnd = previous;
            _pos = Math.Max(_pos, previous);
            return result;
        }

        /// <summary>The section must be used up exactly: trailing bytes mean a different writer or damage.</summary>
        public readonly void End()
        {
            long end = Math.Max(_pos, _payloadEnd);
            if (end != _end) throw Error(end, $"{_end - end} unexplained bytes at the end of the section");
        }
    }
}
