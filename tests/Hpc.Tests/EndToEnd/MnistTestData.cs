using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.EndToEnd;

/// <summary>
/// The repository's data/mnist, shared by the end-to-end tests so they all fail the same, readable way
/// when the data has not been fetched, and all train on the same 8,000 / 2,000 split.
/// </summary>
internal static class MnistTestData
{
    /// <summary>data/mnist of the repository; fails the test with the command that fetches it if it is missing.</summary>
    public static string Dir()
    {
        string dir = Path.Combine(RepoRoot.Find(), "data", "mnist");
        if (!File.Exists(Path.Combine(dir, MnistDataset.TrainImages)))
            Assert.Fail($"{dir} holds no MNIST: run ./build.sh data (or tools/fetch-mnist.sh {dir}) before the tests");
        return dir;
    }

    /// <summary>The default split (8,000 training, 2,000 held-out digits), checked to be that size.</summary>
    public static (Dataset Train, Dataset Test) LoadDefaultSplit()
    {
        var (train, test) = MnistDataset.Load(Dir());
        Assert.Equal(8000, train.Count);
        Assert.Equal(2000, test.Count);
        return (train, test);
    }
}
