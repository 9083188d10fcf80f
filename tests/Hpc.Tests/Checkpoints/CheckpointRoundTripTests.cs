using Hpc.Nn;
using Hpc.Tests.Nn;
using Xunit;

namespace Hpc.Tests.Checkpoints;

/// <summary>Every model kind and optimizer saved and loaded gives the same outputs and, resumed, the same training.</summary>
public sealed class CheckpointRoundTripTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpc-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    public static TheoryData<string> Activations() => [.. ActivationLayers.Names];

    [Theory]
    [MemberData(nameof(Activations))]
    public void MlpWithAnyActivationAndDropoutRoundTrips(string activation)
    {
        using var ctx = new Context(Isa.Auto, 1);
        using var net = Models.Mlp([12, 9, 7, 3], activation, "he", dropout: 0.25f, seed: 5, ctx: ctx);
        AssertRoundTrip(net, 12, ctx);
    }

    [Fact]
    public void LeNetRoundTripsWithItsFusedConvolutions()
    {
        using var ctx = new Context(Isa.Auto, 1);
        using var net = Models.LeNet(seed: 3, ctx: ctx);
        Assert.Equal(454_922, net.ParameterCount());
        string path = AssertRoundTrip(net, 784, ctx, rows: 2);
        Assert.Equal(454_922, Checkpoint.Read(path).ParameterCount);
    }

    [Fact]
    public void SpecModelWithEveryOptionRoundTrips()
    {
        const string spec = """
            input 2x11x9
            conv 4 3x2 stride=2x1 pad=1 dilation=1x2 bias=false act=tanh
            avgpool 2 stride=1 pad=1 count_pad=false
            conv 3 3 pad=1
            sigmoid
            maxpool 2x1 stride=1x1
            flatten
            dropout 0.125 seed=99
            prelu init=0.5
            linear 6 bias=false
            leaky-relu slope=0.2
            linear 5
            arctan
            linear 4
            step
            linear 3
            softmax
            """;
        using var ctx = new Context(Isa.Auto, 1);
        using var net = ModelSpec.Parse(spec, "every-option").Build(seed: 8, ctx: ctx, fuseActivations: false);
        AssertRoundTrip(net, 2 * 11 * 9, ctx);
        // The spec written back describes the same layers as the one parsed.
        var back = ModelSpec.FromModel(net);
        Assert.Equal(ModelSpec.Parse(spec).Layers.Select(l => l.OutputShape), back.Layers.Select(l => l.OutputShape));
    }

    [Fact]
    public void MetadataRoundTripsAndLibraryVersionIsAdded()
    {
        using var net = Models.Mlp([3, 2]);
        string path = File("meta.hpc");
        net.Save(path, new Dictionary<string, string> { ["data"] = "mnist", ["note"] = "ünïcode ✓" });
        var (loaded, meta) = Checkpoint.Load(path);
        using var _ = loaded;
        Assert.Equal("mnist", meta["data"]);
        Assert.Equal("ünïcode ✓", meta["note"]);
        Assert.Matches(@"^\d+\.\d+\.\d+$", meta["hpc.version"]);
        Assert.True(meta.ContainsKey("saved.utc"));
    }

    [Fact]
    public void LayersWithoutASpecFormCannotBeSaved()
    {
        using var net = new Sequential(new Linear(3, 2), new Sequential(new Linear(2, 2)));
        var e = Assert.Throws<NotSupportedException>(() => net.Save(File("nested.hpc")));
        Assert.Contains("layer #1", e.Message);
        Assert.False(System.IO.File.Exists(File("nested.hpc")));
    }

    public static TheoryData<string> OptimizerNames() => [.. Optimizers.Names];

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void OptimizerStateRoundTripsSoTrainingContinuesIdentically(string name)
    {
        var data = Synthetic.Blobs(64, 6, 3, seed: 4);
        using var ctx = new Context(Isa.Auto, 1);
        using var a = Models.Mlp([6, 8, 3], "tanh", "xavier-uniform", seed: 2, ctx: ctx);
        using var optA = Optimizers.Create(name, a.Parameters(), 0.05f, momentum: 0.5f, new Penalties(1e-3f, 1e-4f), ctx);
        using var trainerA = new Trainer(a, optA, new CrossEntropyLoss(ctx), new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 1 });
        trainerA.Fit(data);
        string path = File($"{name}.hpc");
        Checkpoint.Save(path, a, optA);

        var saved = Checkpoint.Load(path, ctx);
        using var b = saved.Model!;
        using var optB = Optimizers.Create(name, b.Parameters(), 0.05f, momentum: 0.5f, new Penalties(1e-3f, 1e-4f), ctx);
        saved.RestoreOptimizer(optB);
        Assert.Equal(optA.Kind, saved.Optimizer!.Kind);

        using var trainerB = new Trainer(b, optB, new CrossEntropyLoss(ctx), new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 9 });
        using var trainerA2 = new Trainer(a, optA, new CrossEntropyLoss(ctx), new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 9 });
        trainerA2.Fit(data);
        trainerB.Fit(data);
        AssertSameWeights(a, b);
    }

    [Fact]
    public void ClippedOptimizerSavesItsInnerStateAndClipLimits()
    {
        using var net = Models.Mlp([4, 3]);
        using var opt = new ClippedOptimizer(new Adam(net.Parameters(), 0.01f), maxNorm: 2f);
        string path = File("clipped.hpc");
        Checkpoint.Save(path, net, opt);
        var saved = Checkpoint.Read(path);
        Assert.Equal("adam", saved.Optimizer!.Kind);
        Assert.Contains(saved.Optimizer.HyperParameters, h => h.Key == "max_norm" && h.Value == 2);
        using var other = new ClippedOptimizer(new Adam(net.Parameters(), 0.01f), maxNorm: 3f);
        var e = Assert.Throws<CheckpointException>(() => saved.RestoreOptimizer(other));
        Assert.Contains("max_norm", e.Message);
    }

    [Fact]
    public void RestoringIntoAnotherOptimizerKindOrHyperParameterIsAClearError()
    {
        using var net = Models.Mlp([4, 3]);
        using var momentum = new Sgd(net.Parameters(), 0.1f, 0.9f);
        string path = File("momentum.hpc");
        Checkpoint.Save(path, net, momentum);
        var saved = Checkpoint.Read(path);
        using var adam = new Adam(net.Parameters());
        Assert.Contains("'sgd' optimizer, restoring into a 'adam'", Assert.Throws<CheckpointException>(() => saved.RestoreOptimizer(adam)).Message);
        using var other = new Sgd(net.Parameters(), 0.1f, 0.5f);
        Assert.Contains("'momentum' is 0.9", Assert.Throws<CheckpointException>(() => saved.RestoreOptimizer(other)).Message);
        using var bare = Models.Mlp([4, 3]);
        bare.Save(File("bare.hpc"));
        Assert.Contains("no optimizer state", Assert.Throws<CheckpointException>(() => Checkpoint.Read(File("bare.hpc")).RestoreOptimizer(momentum)).Message);
    }

    [Fact]
    public void LoadingIntoAModelOfAnotherShapeNamesTheParameter()
    {
        using var net = Models.Mlp([4, 3, 2]);
        string path = File("shape.hpc");
        net.Save(path);
        using var other = Models.Mlp([4, 5, 2]);
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Read(path).LoadWeightsInto(other));
        Assert.Contains("'0.weight' has shape [3, 4], the architecture needs [5, 4]", e.Message);
    }

    private string AssertRoundTrip(Sequential net, int features, Context ctx, int rows = 5)
    {
        string path = File("model.hpc");
        net.Save(path);
        var (loaded, _) = Checkpoint.Load(path, ctx);
        using var _l = loaded;
        Assert.Equal(ModelSpec.FromModel(net).ToString(), ModelSpec.FromModel(loaded).ToString());
        AssertSameWeights(net, loaded);
        using var x = Synthetic.RandomTensor(11, 1.0, rows, features);
        float[] expected = net.Forward(x, training: false).ToArray();
        float[] actual = loaded.Forward(x, training: false).ToArray();
        Assert.Equal(expected, actual);
        // Training-mode forwards too: dropout masks continue from the same stream offset.
        using var x2 = Synthetic.RandomTensor(12, 1.0, rows, features);
        Assert.Equal(net.Forward(x2, training: true).ToArray(), loaded.Forward(x2, training: true).ToArray());
        return path;
    }

    internal static void AssertSameWeights(Module a, Module b)
    {
        var pa = a.Parameters().ToList();
        var pb = b.Parameters().ToList();
        Assert.Equal(pa.Select(p => p.Name), pb.Select(p => p.Name));
        for (int i = 0; i < pa.Count; i++) Assert.Equal(pa[i].Value.ToArray(), pb[i].Value.ToArray());
    }
}
