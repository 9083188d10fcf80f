using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Hpc.Nn;

/// <summary>Lays a <see cref="CheckpointContent"/> out as the bytes of a checkpoint file (see docs/checkpoint-format.md).</summary>
internal static class CheckpointWriter
{
    public static byte[] Serialize(CheckpointContent content)
    {
        var sections = new List<(uint Tag, Action<BinaryWriter> Write)>
        {
            (CheckpointFormat.Metadata, w => WriteMetadata(w, content.Metadata)),
            (CheckpointFormat.Architecture, w => WriteString(w, content.Architecture)),
            (CheckpointFormat.Parameters, w => WriteTensors(w, content.Parameters)),
        };
        if (content.Optimizer is { } opt) sections.Add((CheckpointFormat.Optimizer, w => WriteOptimizer(w, opt)));
        if (content.State.Count > 0) sections.Add((CheckpointFormat.TrainingState, w => WriteState(w, content.State)));

        var ms = new MemoryStream();
        var bw = new BinaryWriter(ms, new UTF8Encoding(false), leaveOpen: true);
        long tableEnd = CheckpointFormat.HeaderSize + (long)sections.Count * CheckpointFormat.TableEntrySize;
        ms.SetLength(tableEnd);
        ms.Position = tableEnd;
        var placed = new (uint Tag, long Offset, long Length)[sections.Count];
        for (int i = 0; i < sections.Count; i++)
        {
            Pad(ms);
            long start = ms.Position;
            sections[i].Write(bw);
            bw.Flush();
            placed[i] = (sections[i].Tag, start, ms.Position - start);
        }
        long trailer = ms.Position;
        ms.SetLength(trailer + CheckpointFormat.TrailerSize);
        byte[] file = ms.GetBuffer();
        var span = file.AsSpan(0, (int)ms.Length);

        var table = span.Slice(CheckpointFormat.HeaderSize, sections.Count * CheckpointFormat.TableEntrySize);
        for (int i = 0; i < placed.Length; i++)
        {
            var e = table.Slice(i * CheckpointFormat.TableEntrySize, CheckpointFormat.TableEntrySize);
            BinaryPrimitives.WriteUInt32LittleEndian(e, placed[i].Tag);
            BinaryPrimitives.WriteUInt32LittleEndian(e[4..], 0);
            BinaryPrimitives.WriteInt64LittleEndian(e[8..], placed[i].Offset);
            BinaryPrimitives.WriteInt64LittleEndian(e[16..], placed[i].Length);
            BinaryPrimitives.WriteUInt64LittleEndian(e[24..], XxHash64.HashToUInt64(span.Slice((int)placed[i].Offset, (int)placed[i].Length)));
        }
        var header = span[..CheckpointFormat.HeaderSize];
        header.Clear();
        CheckpointFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[CheckpointFormat.VersionOffset..], CheckpointFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[CheckpointFormat.SectionCountOffset..], (uint)sections.Count);
        BinaryPrimitives.WriteInt64LittleEndian(header[CheckpointFormat.FileLengthOffset..], span.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[CheckpointFormat.TableOffsetOffset..], CheckpointFormat.HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(header[CheckpointFormat.TableHashOffset..], XxHash64.HashToUInt64(table));
        BinaryPrimitives.WriteUInt64LittleEndian(header[CheckpointFormat.HeaderHashOffset..], XxHash64.HashToUInt64(header[..CheckpointFormat.HeaderHashOffset]));
        BinaryPrimitives.WriteUInt64LittleEndian(span[(int)trailer..], XxHash64.HashToUInt64(span[..(int)trailer]));
        return span.ToArray();
    }

    private static void Pad(MemoryStream ms)
    {
        long aligned = CheckpointFormat.Align(ms.Position);
        if (aligned > ms.Length) ms.SetLength(aligned);
        ms.Position = aligned;
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        w.Write((uint)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteMetadata(BinaryWriter w, List<KeyValuePair<string, string>> items)
    {
        w.Write((uint)items.Count);
        foreach (var (k, v) in items)
        {
            WriteString(w, k);
            WriteString(w, v);
        }
    }

    /// <summary>A directory (name, rank, dims, absolute payload offset, byte length) then the 64-byte aligned payloads.</summary>
    private static void WriteTensors(BinaryWriter w, List<TensorEntry> tensors)
    {
        long dirBytes = 4;
        foreach (var t in tensors) dirBytes += 4 + Encoding.UTF8.GetByteCount(t.Name) + 4 + 8L * t.Shape.Length + 16;
        long cursor = w.BaseStream.Position + dirBytes;
        var offsets = new long[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            cursor = CheckpointFormat.Align(cursor);
            offsets[i] = cursor;
            cursor += 4L * tensors[i].Span.Length;
        }
        w.Write((uint)tensors.Count);
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            WriteString(w, t.Name);
            w.Write((uint)t.Shape.Length);
            foreach (int d in t.Shape) w.Write((long)d);
            w.Write(offsets[i]);
            w.Write(4L * t.Span.Length);
        }
        w.Flush();
        var ms = (MemoryStream)w.BaseStream;
        for (int i = 0; i < tensors.Count; i++)
        {
            ms.SetLength(Math.Max(ms.Length, offsets[i]));
            ms.Position = offsets[i];
            WriteFloats(ms, tensors[i].Span);
        }
    }

    private static void WriteFloats(Stream s, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            s.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        Span<byte> b = stackalloc byte[4];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(b, v);
            s.Write(b);
        }
    }

    private static void WriteOptimizer(BinaryWriter w, OptimizerCheckpointContent opt)
    {
        WriteString(w, opt.Kind);
        w.Write((uint)opt.HyperParameters.Count);
        foreach (var (k, v) in opt.HyperParameters)
        {
            WriteString(w, k);
            w.Write(v);
        }
        w.Write((uint)opt.Counters.Count);
        foreach (var (k, v) in opt.Counters)
        {
            WriteString(w, k);
            w.Write(v);
        }
        WriteTensors(w, opt.Buffers);
    }

    private static void WriteState(BinaryWriter w, List<KeyValuePair<string, ulong[]>> state)
    {
        w.Write((uint)state.Count);
        foreach (var (k, v) in state)
        {
            WriteString(w, k);
            w.Write((uint)v.Length);
            foreach (ulong x in v) w.Write(x);
        }
    }
}
