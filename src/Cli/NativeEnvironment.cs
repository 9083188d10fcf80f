using System.Runtime.InteropServices;

namespace Hpc.Cli;

/// <summary>
/// Removes a variable from the C runtime's environment, which native code reads with getenv.
/// Environment.SetEnvironmentVariable is not enough: on Unix it only edits .NET's own copy.
/// </summary>
internal static partial class NativeEnvironment
{
    // hpc_ctx_create reads HPC_ISA and fails on a value this CPU cannot serve before the CLI can
    // apply --isa; removing it first is what lets --isa override it.
    public static void Unset(string name)
    {
        Environment.SetEnvironmentVariable(name, null);
        if (OperatingSystem.IsWindows())
            _ = PutEnvWindows(name, "");
        else
            _ = UnsetEnvUnix(name);
    }

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnsetEnvUnix(string name);

    [LibraryImport("ucrtbase", EntryPoint = "_putenv_s", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PutEnvWindows(string name, string value);
}
