namespace Hpc.Tests.EndToEnd;

internal static class RepoRoot
{
    /// <summary>The directory holding Hpc.sln, found by walking up from the test binaries.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Hpc.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Hpc.sln above {AppContext.BaseDirectory}: run the tests from the repository");
    }
}
