using Hpc.Interop;

namespace Hpc.Cli;

/// <summary>The CPU as the native library sees it (CPUID + XGETBV), and the library's version.</summary>
internal sealed record CpuInfo(string Brand, hpc_cpu_features Features, string LibraryVersion)
{
    public static unsafe CpuInfo Read()
    {
        hpc_cpu_features features;
        Status.Check(Native.hpc_get_cpu_features(&features), null);

        const int capacity = 128;
        sbyte* brand = stackalloc sbyte[capacity];
        Status.Check(Native.hpc_get_cpu_brand(brand, capacity), null);

        int v = Native.hpc_version();
        return new CpuInfo(new string(brand).Trim(), features, $"{v / 10000}.{v / 100 % 100}.{v % 100}");
    }
}
