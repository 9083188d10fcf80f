using System.Runtime.InteropServices;

namespace Hpc.Bench;

/// <summary>
/// A 64-byte aligned float buffer filled with reproducible values in [-0.5, 0.5): the operands of
/// the raw kernel benchmarks. Values matter only in staying finite and away from denormals, which
/// would slow some paths down and distort the comparison.
/// </summary>
public sealed unsafe class NativeBuffer : IDisposable
{
    public NativeBuffer(long count, int seed = 1)
    {
        Count = count;
        Ptr = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(count, 1) * sizeof(float), 64);
        uint x = (uint)seed * 2654435761u + 1;
        for (long i = 0; i < count; i++)
        {
            x = x * 1664525u + 1013904223u;
            Ptr[i] = ((x >> 8) & 0xffff) / 65536f - 0.5f;
        }
    }

    public float* Ptr { get; private set; }

    public long Count { get; }

    public void Dispose()
    {
        if (Ptr != null) NativeMemory.AlignedFree(Ptr);
        Ptr = null;
    }
}
