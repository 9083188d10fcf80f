namespace Hpc.Cli;

/// <summary>Finds the data directory: as given, or the default data/mnist beside the user or beside the program.</summary>
internal static class DataLocator
{
    public const string DefaultRelative = "data/mnist";

    /// <summary>The absolute data directory to load, or a UsageException saying where it looked.</summary>
    public static string Resolve(string? requested)
    {
        if (requested is not null)
        {
            string full = Path.GetFullPath(requested);
            if (!Directory.Exists(full))
                throw new UsageException($"--data {requested}: no such directory");
            return full;
        }

        // CWD first (a checkout after ./build.sh data), then the executable's folder (a copied
        // binary shipped with its data), so `hpc train` works from either without options.
        string[] candidates =
        [
            Path.GetFullPath(DefaultRelative),
            Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, DefaultRelative)),
        ];
        foreach (string dir in candidates)
            if (Directory.Exists(dir))
                return dir;
        throw new UsageException(
            $"no data set in {string.Join(" or ", candidates.Distinct())}; run './build.sh data' or pass --data DIR");
    }
}
