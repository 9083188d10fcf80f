using Hpc.Nn;
using Hpc.Tests.EndToEnd;
using Xunit;

namespace Hpc.Tests.Checkpoints;

/// <summary>
/// A version-1 file committed under tests/: a change of the format that breaks reading old files
/// fails here. Regenerate only for a deliberate new version (HPC_WRITE_GOLDEN=1), keeping the old file.
/// </summary>
public sealed class GoldenCheckpointTests
{
    private static string GoldenPath => Path.Combine(RepoRoot.Find(), "tests", "Hpc.Tests", "Checkpoints", "golden-v1.hpc");

    /// <summary>The state the golden file holds, recomputed on the scalar path: a tanh MLP after one momentum step.</summary>
    private static (Sequential Net, Sgd Opt) Recompute(Context ctx)
    {
        var net = Models.Mlp([4, 3, 2], "tanh", "xavier-uniform", seed: 21, ctx: ctx);
        var opt = new Sgd(net.Parameters(), lr: 0.1f, momentum: 0.9f, MomentumForm.Classic, new Penalties(weightDecay: 0.01f), ctx);
        using var trainer = new Trainer(net, opt, new CrossEntropyLoss(ctx));
        using var x = Tensor.FromArray([0.5f, -1f, 0.25f, 2f, -0.75f, 0.1f, 1.5f, -2f], 2, 4);
        trainer.TrainStep(x, [1, 0], out _);
        return (net, opt);
    }

    [Fact]
    public void TheCommittedVersionOneFileStillLoadsWithItsValues()
    {
        using var ctx = Context.ForIsa(Isa.Scalar);
        var (net, opt) = Recompute(ctx);
        using var _n = net;
        using var _o = opt;
        if (Environment.GetEnvironmentVariable("HPC_WRITE_GOLDEN") == "1")
            Checkpoint.Save(GoldenPath, net, opt, new Dictionary<string, string> { ["purpose"] = "golden file of format version 1", ["saved.utc"] = "2026-12-03T00:00:00Z" });

        Assert.Equal(1u, BitConverter.ToUInt32(File.ReadAllBytes(GoldenPath), 8));
        var golden = Checkpoint.Load(GoldenPath, ctx);
        using var model = golden.Model!;
        Assert.Equal("golden file of format version 1", golden.Metadata["purpose"]);
        Assert.Equal("input 4\nlinear 3    # -> 3\ntanh    # -> 3\nlinear 2    # -> 2\n", golden.Spec.ToString());
        CheckpointRoundTripTests.AssertSameWeights(net, model);
        Assert.Equal("sgd", golden.Optimizer!.Kind);
        Assert.Equal(["lr", "momentum", "form", "weight_decay", "l1", "decay_biases"], golden.Optimizer.HyperParameters.Select(h => h.Key));
        using var fresh = new Sgd(model.Parameters(), lr: 0.1f, momentum: 0.9f, MomentumForm.Classic, new Penalties(weightDecay: 0.01f), ctx);
        golden.RestoreOptimizer(fresh);
        // Both optimizers take one more step from the same gradients: equal weights mean equal velocities.
        foreach (var p in model.Parameters()) p.Grad.Fill(0.5f);
        foreach (var p in net.Parameters()) p.Grad.Fill(0.5f);
        fresh.Step();
        opt.Step();
        CheckpointRoundTripTests.AssertSameWeights(net, model);
    }
}
