using Hpc.Nn;
using Hpc.Tests.EndToEnd;
using Xunit;

namespace Hpc.Tests.Conv;

public class ModelSpecTests
{
    [Fact]
    public void LeNetSpecInfersEveryShape()
    {
        var spec = ModelSpec.Parse(LeNet.Spec, "lenet");
        Assert.Equal(new ImageShape(1, 28, 28), spec.InputImage);
        Assert.Equal(784, spec.InputFeatures);
        Assert.Equal(["32x28x28", "32x28x28", "32x14x14", "64x14x14", "64x14x14", "64x7x7", "3136", "128", "128", "10"],
            spec.Layers.Select(l => l.OutputShape));
        Assert.Equal(10, spec.OutputFeatures);
        Assert.Equal(2, spec.Layers[0].LineNumber);
    }

    [Fact]
    public void LeNetHasTheIssueArchitecture()
    {
        using var net = LeNet.Create(seed: 1);
        // 32*1*25+32 + 64*32*25+64 + 3136*128+128 + 128*10+10
        Assert.Equal(832 + 51264 + 401536 + 1290, net.ParameterCount());
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "5.weight", "5.bias", "7.weight", "7.bias"], net.Parameters().Select(p => p.Name));
        using var unfused = LeNet.Create(seed: 1, fuseActivations: false);
        Assert.Equal(10, unfused.Layers.Count);
        using var x = new Tensor(2, 784);
        Assert.Equal([2, 10], net.Forward(x, training: false).ShapeArray());
    }

    [Fact]
    public void FusedAndUnfusedLeNetComputeTheSameFunction()
    {
        using var fused = LeNet.Create(seed: 2);
        using var plain = LeNet.Create(seed: 2, fuseActivations: false);
        using var x = Hpc.Tests.Nn.Synthetic.RandomTensor(3, 1.0, 3, 1, 28, 28);
        var a = fused.Forward(x, training: false).ToArray();
        var b = plain.Forward(x, training: false).ToArray();
        Assert.Equal(b, a);
    }

    [Fact]
    public void ExampleSpecFileLoads()
    {
        string path = Path.Combine(RepoRoot.Find(), "examples", "lenet.spec");
        var spec = ModelSpec.Load(path);
        Assert.Equal(ModelSpec.Parse(LeNet.Spec).Layers.Select(l => l.OutputShape), spec.Layers.Select(l => l.OutputShape));
    }

    [Fact]
    public void RoundTripsThroughToString()
    {
        var spec = ModelSpec.Parse("input 3x32x32\nconv 16 3 pad=1 stride=2 # c\nrelu\navgpool 2x1 count_pad=false\nlinear 10 bias=false\n");
        var again = ModelSpec.Parse(spec.ToString());
        Assert.Equal(spec.Layers.Select(l => l.OutputShape), again.Layers.Select(l => l.OutputShape));
        Assert.Equal(["16x16x16", "16x16x16", "16x8x16", "10"], again.Layers.Select(l => l.OutputShape));
    }

    [Theory]
    [InlineData("input 1x28x28\nconv 8 3\nrelux\n", 3, "unknown layer 'relux'")]
    [InlineData("input 1x28x28\n\n# comment\nconv 8 3 strid=2\n", 4, "unknown option 'strid'")]
    [InlineData("input 1x4x4\nconv 8 5\n", 2, "padded by 0 is only 4")]
    [InlineData("input 1x8x8\nconv 8 3 pad=1\nflatten\nmaxpool 2\n", 4, "needs an image input")]
    [InlineData("input 784\nconv 8 3\n", 2, "needs an image input")]
    [InlineData("conv 8 3\n", 1, "must declare the input")]
    [InlineData("input 1x28\nlinear 3\n", 1, "not an image shape")]
    [InlineData("input 1x8x8\nmaxpool 2 pad=2\n", 2, "smaller than the window")]
    [InlineData("input 1x8x8\nconv 0 3\n", 2, "filter count '0'")]
    [InlineData("input 1x8x8\nconv 4 3x\n", 2, "kernel '3x'")]
    [InlineData("input 10\nlinear 4\ndropout 1.5\n", 3, "dropout rate")]
    [InlineData("input 10\ninput 10\n", 2, "second 'input'")]
    [InlineData("input 10\nflatten 3\n", 2, "takes 0 arguments")]
    [InlineData("input 10\nlinear 4 bias=maybe\n", 2, "expected true or false")]
    public void ErrorsNameTheLine(string text, int line, string reason)
    {
        var e = Assert.Throws<ModelSpecException>(() => ModelSpec.Parse(text, "my.spec"));
        Assert.Equal(line, e.LineNumber);
        Assert.Contains(reason, e.Message);
        Assert.StartsWith($"my.spec:{line}: ", e.Message);
        if (e.LineText.Length > 0) Assert.Contains(e.LineText.Trim(), e.Message);
    }

    [Fact]
    public void EmptySpecIsRejected()
    {
        var e = Assert.Throws<ModelSpecException>(() => ModelSpec.Parse("# nothing\ninput 1x2x2\n"));
        Assert.Contains("no layers", e.Message);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ModelSpec.Load("/nonexistent/x.spec"));
        Assert.Contains("/nonexistent/x.spec", e.Message);
    }
}
