using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Hpc.Interop;
using Xunit;

namespace Hpc.Tests.Interop;

public unsafe class LibraryLoadingTests
{
    [Fact]
    public void VersionComesFromTheNativeLibrary()
    {
        var v = Native.hpc_version();
        // major * 10000 + minor * 100 + patch, and the first release is 0.1.0.
        Assert.InRange(v, 100, 99_99_99);
        Assert.InRange(v % 100, 0, 99);
        Assert.InRange(v / 100 % 100, 0, 99);
    }

    [Fact]
    public void LibraryIsLoadedFromBesideTheAssembly()
    {
        Native.hpc_version();
        var expected = Path.Combine(AppContext.BaseDirectory, HpcLibrary.FileName);
        Assert.True(File.Exists(expected), $"{expected} is missing: the Interop project should copy it to the output");
        if (!OperatingSystem.IsLinux()) return;
        var mapped = File.ReadLines("/proc/self/maps").Where(l => l.EndsWith("/" + HpcLibrary.FileName)).ToList();
        Assert.Contains(mapped, l => l.EndsWith(Path.GetFullPath(expected)));
    }

    [Fact]
    public void RegisteringTheResolverAgainIsHarmless()
    {
        HpcLibrary.EnsureRegistered();
        HpcLibrary.EnsureRegistered();
        Assert.True(Native.hpc_version() > 0);
    }

    [Theory]
    [InlineData(hpc_status.HPC_STATUS_OK, "OK")]
    [InlineData(hpc_status.HPC_STATUS_INVALID_ARGUMENT, "INVALID_ARGUMENT")]
    [InlineData(hpc_status.HPC_STATUS_OUT_OF_MEMORY, "OUT_OF_MEMORY")]
    [InlineData(hpc_status.HPC_STATUS_UNSUPPORTED, "UNSUPPORTED")]
    [InlineData(hpc_status.HPC_STATUS_NUMERICAL_ERROR, "NUMERICAL_ERROR")]
    [InlineData(hpc_status.HPC_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR")]
    public void StatusNamesRoundTripThroughTheBindings(hpc_status status, string name)
    {
        Assert.Equal(name, Marshal.PtrToStringUTF8((IntPtr)Native.hpc_status_name(status)));
    }

    [Theory]
    [InlineData(hpc_isa.HPC_ISA_AUTO, "auto")]
    [InlineData(hpc_isa.HPC_ISA_SCALAR, "scalar")]
    [InlineData(hpc_isa.HPC_ISA_AVX2, "avx2")]
    [InlineData(hpc_isa.HPC_ISA_AVX512, "avx512")]
    [InlineData(hpc_isa.HPC_ISA_OPENBLAS, "openblas")]
    public void IsaNamesRoundTripThroughTheBindings(hpc_isa isa, string name)
    {
        Assert.Equal(name, Marshal.PtrToStringUTF8((IntPtr)Native.hpc_isa_name(isa)));
    }

    [Fact]
    public void CpuFeaturesAgreeWithTheRuntime()
    {
        hpc_cpu_features f;
        Status.Check(Native.hpc_get_cpu_features(&f));
        Assert.True(f.logical_cores >= 1, $"logical_cores = {f.logical_cores}");
        // .NET also checks CPUID and the OS's XSAVE state, so both must see the same CPU.
        Assert.Equal(Avx2.IsSupported, f.avx2 != 0);
        Assert.Equal(Fma.IsSupported, f.fma != 0);
        Assert.Equal(Avx512F.IsSupported, f.avx512f != 0);
        Assert.Equal(Avx512BW.IsSupported, f.avx512bw != 0);
        Assert.Equal(Avx512DQ.IsSupported, f.avx512dq != 0);
        Assert.Equal(Avx512F.VL.IsSupported, f.avx512vl != 0);
        Assert.True(f.l1d_bytes >= 0 && f.l2_bytes >= 0 && f.l3_bytes >= 0);

        int avx2Path;
        Status.Check(Native.hpc_isa_supported(hpc_isa.HPC_ISA_AVX2, &avx2Path));
        Assert.Equal(f.avx2 != 0 && f.fma != 0, avx2Path != 0);
    }

    [Fact]
    public void CpuBrandIsTruncatedToCapacity()
    {
        var full = stackalloc sbyte[128];
        Status.Check(Native.hpc_get_cpu_brand(full, 128));
        var brand = Marshal.PtrToStringUTF8((IntPtr)full)!;
        Assert.True(brand.Length < 128);

        var small = stackalloc sbyte[4];
        Status.Check(Native.hpc_get_cpu_brand(small, 4));
        var truncated = Marshal.PtrToStringUTF8((IntPtr)small)!;
        Assert.True(truncated.Length <= 3);
        Assert.StartsWith(truncated, brand);
    }
}
