using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Conv;

/// <summary>The worked convolution and pooling numbers of seed 002 (eq. 90-103) through the C# layers.</summary>
public class ConvSeedNumberTests
{
    // The 6x6 grayscale "4" of seed 002 figure 32 / eq. 90.
    private static readonly float[] s_four =
    [
        0, 0, 0, 0, 0, 0,
        0, 255, 0, 0, 0, 0,
        0, 255, 0, 255, 0, 0,
        0, 255, 255, 255, 255, 0,
        0, 0, 0, 255, 0, 0,
        0, 0, 0, 0, 0, 0,
    ];

    private static readonly float[] s_vertical = [-1, 1, -1, -1, 1, -1, -1, 1, -1];
    private static readonly float[] s_horizontal = [-1, -1, -1, 1, 1, 1, -1, -1, -1];

    private static float[] FeatureMap(float[] filter, int padding, Isa isa = Isa.Auto)
    {
        using var ctx = new Context(isa);
        using var conv = new Conv2d(1, 1, 3, padding: padding, bias: false, activation: ActivationKind.ReLU, ctx: ctx);
        conv.Weight.Value.CopyFrom(filter);
        using var x = Tensor.FromArray(s_four, 1, 1, 6, 6);
        return conv.Forward(x, training: false).ToArray();
    }

    public static TheoryData<Isa> Paths => IsaPaths.Theory();

    [SkippableTheory]
    [MemberData(nameof(Paths))]
    public void VerticalFilterOnTheFourGivesEquation90(Isa isa)
    {
        IsaPaths.RequireSupported(isa);
        float[] expected = [510, 0, 255, 0, 510, 0, 0, 0, 255, 0, 255, 0, 0, 0, 0, 0];
        Assert.Equal(expected, FeatureMap(s_vertical, padding: 0, isa));
    }

    [Fact]
    public void HorizontalFilterOnTheFourGivesEquation91()
    {
        float[] expected = [0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 255, 0, 0, 0, 0, 0];
        Assert.Equal(expected, FeatureMap(s_horizontal, padding: 0));
    }

    [Fact]
    public void ZeroPaddedVerticalFilterGivesEquation92()
    {
        float[] expected =
        [
            0, 255, 0, 0, 0, 0,
            0, 510, 0, 255, 0, 0,
            0, 510, 0, 0, 0, 0,
            0, 255, 0, 255, 0, 0,
            0, 0, 0, 0, 0, 0,
            0, 0, 0, 255, 0, 0,
        ];
        Assert.Equal(expected, FeatureMap(s_vertical, padding: 1));
    }

    [Fact]
    public void RgbFilterWithBiasGivesEquation103()
    {
        // Eq. 99: bias 0.5 and one 2x2 filter per channel; eq. 100: the 3x3 RGB input.
        using var conv = new Conv2d(3, 1, 2, activation: ActivationKind.ReLU);
        conv.Weight.Value.CopyFrom([1, 1, 0, 0, /* G */ 0, 1, 0, 1, /* B */ 1, 0, 0, 1]);
        conv.Bias!.Value.CopyFrom([0.5f]);
        using var x = Tensor.FromArray(
        [
            1, 1, 1, 0, 0, 0, 0, 0, 0,
            0, 0, 2, 0, 0, 2, 0, 0, 2,
            3, 0, 0, 0, 3, 0, 0, 0, 3,
        ], 1, 3, 3, 3);
        Assert.Equal([8.5f, 6.5f, 0.5f, 10.5f], conv.Forward(x, training: false).ToArray());
    }

    [Fact]
    public void OutputSizeOf5x5Stride2On100x100Is48x48()
    {
        using var conv = new Conv2d(1, 1, 5, stride: 2);
        Assert.Equal(new ImageShape(1, 48, 48), conv.OutputShape(new ImageShape(1, 100, 100)));
    }

    [Fact]
    public void MaxPoolRoutesTheGradientToTheArgmax()
    {
        using var pool = new MaxPool2d(2);
        using var x = Tensor.FromArray(
        [
            1, 3, 2, 1,
            4, 2, 0, 5,
            7, 1, 1, 1,
            0, 2, 1, 9,
        ], 1, 1, 4, 4);
        Assert.Equal([4f, 5f, 7f, 9f], pool.Forward(x, training: true).ToArray());
        using var dy = Tensor.FromArray([10, 20, 30, 40], 1, 1, 2, 2);
        Assert.Equal(
        [
            0, 0, 0, 0,
            10, 0, 0, 20,
            30, 0, 0, 0,
            0, 0, 0, 40,
        ], pool.Backward(dy).ToArray());
    }

    [Fact]
    public void KernelLargerThanThePaddedInputIsRejectedWithTheShapes()
    {
        using var conv = new Conv2d(1, 1, 5);
        using var x = new Tensor(1, 1, 3, 3);
        var e = Assert.ThrowsAny<Exception>(() => conv.Forward(x, training: false));
        Assert.Contains("3", e.Message);
        Assert.Contains("5", e.Message);
    }

    [Fact]
    public void ChannelMismatchNamesBothShapes()
    {
        using var conv = new Conv2d(3, 2, 3);
        using var x = new Tensor(1, 2, 5, 5);
        var e = Assert.Throws<ArgumentException>(() => conv.Forward(x, training: false));
        Assert.Contains("[1, 2, 5, 5]", e.Message);
        Assert.Contains("3", e.Message);
    }
}
