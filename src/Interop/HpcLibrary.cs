using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Hpc.Interop;

/// <summary>Loads the native library for the generated <see cref="Native"/> methods.</summary>
/// <remarks>
/// Default probing only looks beside the assembly that declares the P/Invoke and then asks the OS
/// loader (LD_LIBRARY_PATH, system paths). When Hpc.Interop.dll is loaded from elsewhere than the
/// application (a package cache, a benchmark or test host's folder), the libhpcnn.so shipped in the
/// application folder would be missed, so the resolver tries the application folder first, then the
/// assembly's, then defers to default probing. The NativeAOT CLI binds "hpcnn" at link time
/// (DirectPInvoke), so the resolver is never consulted there and registering it is harmless.
/// </remarks>
public static class HpcLibrary
{
    private static int _registered;

    /// <summary>File name of the shared library on this OS.</summary>
    public static string FileName =>
        OperatingSystem.IsWindows() ? "hpcnn.dll" : OperatingSystem.IsMacOS() ? "libhpcnn.dylib" : "libhpcnn.so";

    /// <summary>Registers the resolver once per process; later calls do nothing. Runs automatically
    /// when the assembly loads; public for hosts that want it to happen at a known point.</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) != 0) return;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(HpcLibrary).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The host installed its own resolver for this assembly first: it takes precedence.
        }
    }

#pragma warning disable CA2255 // a library module initializer is intended: bindings must work without setup calls
    [ModuleInitializer]
    internal static void Initialize() => EnsureRegistered();
#pragma warning restore CA2255

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != "hpcnn") return IntPtr.Zero;
        foreach (var dir in CandidateDirectories(assembly))
        {
            var path = Path.Combine(dir, FileName);
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle)) return handle;
        }
        return IntPtr.Zero; // default probing
    }

    [UnconditionalSuppressMessage("SingleFile", "IL3000",
        Justification = "Location is empty in single-file and NativeAOT apps, where AppContext.BaseDirectory is the assembly's folder anyway.")]
    private static List<string> CandidateDirectories(Assembly assembly)
    {
        var dirs = new List<string>(2);
        if (!string.IsNullOrEmpty(AppContext.BaseDirectory)) dirs.Add(AppContext.BaseDirectory);
        var location = assembly.Location;
        var dir = string.IsNullOrEmpty(location) ? null : Path.GetDirectoryName(location);
        if (!string.IsNullOrEmpty(dir) && !dirs.Any(d => Path.TrimEndingDirectorySeparator(d) == dir)) dirs.Add(dir);
        return dirs;
    }
}
