using System.Diagnostics;
using System.Reflection;
using Hpc.Nn;
using Xunit;

namespace Hpc.Cli.Tests.Lifecycle;

/// <summary>
/// A child `hpc train --save-every-epoch` is killed with SIGKILL at random moments, 50 times; the
/// checkpoint on disk must always load and be one of the saved states (its epoch never goes back).
/// </summary>
public sealed class CheckpointCrashTests
{
    [Fact]
    public void KillingASavingProcessNeverLeavesATornCheckpoint()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var data = new TinyMnist(train: 128, test: 32);
        string path = data.Path("m.hpc");
        string hpc = Assembly.Load(new AssemblyName("hpc")).Location;
        var rng = new Random(3);
        int lastEpoch = 0, kills = 0, epochsSeen = 0;
        for (int round = 0; round < 50; round++)
        {
            var args = new List<string> { hpc, "train", "--epochs", "100000", "--batch-size", "64", "--threads", "1", "--data", data.Dir, "--save", path, "--save-every-epoch" };
            if (File.Exists(path)) args.AddRange(["--resume", path]);
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            // hpc targets net9.0; let it run on whatever runtime runs the tests.
            psi.Environment["DOTNET_ROLL_FORWARD"] = "Major";
            psi.Environment["CI"] = "1";
            using var child = Process.Start(psi)!;
            child.OutputDataReceived += (_, _) => { };
            child.ErrorDataReceived += (_, _) => { };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            // Wait until this child has saved once (its start-up is not the moment under test), then
            // kill it at a random moment of its save-every-epoch loop (an epoch here takes milliseconds).
            var before = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while ((!File.Exists(path) || File.GetLastWriteTimeUtc(path) == before) && !child.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(5);
            Thread.Sleep(rng.Next(0, 60));
            Assert.False(child.HasExited, $"the child ended by itself (exit {(child.HasExited ? child.ExitCode : 0)})");
            child.Kill(); // SIGKILL on Linux: no handler runs, the write is cut wherever it was
            child.WaitForExit();
            kills++;

            var saved = Checkpoint.Read(path);
            int epoch = saved.Epoch ?? throw new Xunit.Sdk.XunitException("no epoch in the checkpoint");
            Assert.True(epoch >= lastEpoch, $"round {round}: epoch went back from {lastEpoch} to {epoch}");
            Assert.Equal(epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), saved.Metadata["epoch"]);
            if (epoch > lastEpoch) epochsSeen++;
            lastEpoch = epoch;
        }
        Assert.Equal(50, kills);
        Assert.True(epochsSeen >= 45, $"only {epochsSeen} of 50 rounds saved a new epoch: the kills did not hit the save loop");
    }
}
