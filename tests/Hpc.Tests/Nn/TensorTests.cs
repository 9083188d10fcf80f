using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Nn;

public unsafe class TensorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3, 5)]
    [InlineData(7, 1, 9)]
    [InlineData(0, 4)]
    public void MemoryIsZeroedAnd64ByteAligned(params int[] shape)
    {
        using var t = new Tensor(shape);
        Assert.Equal(0, (long)t.Data % 64);
        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), t.Length);
        Assert.All(t.ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(shape, t.ShapeArray());
    }

    [Fact]
    public void FromArrayRowsAndIndexingAgree()
    {
        using var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal(2, t.Rows);
        Assert.Equal(3, t.Cols);
        Assert.Equal(6f, t[1, 2]);
        Assert.Equal([4f, 5f, 6f], t.Row(1).ToArray());
        t[0, 1] = 9;
        Assert.Equal(9f, t.AsSpan()[1]);
    }

    [Fact]
    public void FromArrayRejectsAWrongCount()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromArray([1, 2, 3], 2, 2));
        Assert.Contains("needs 4", e.Message);
    }

    [Fact]
    public void NegativeDimensionIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tensor(2, -1));

    [Fact]
    public void EnsureReusesMemoryWhenItFits()
    {
        Tensor? buf = null;
        var a = Tensor.Ensure(ref buf, 64, 10);
        float* p = a.Data;
        var b = Tensor.Ensure(ref buf, 16, 10);
        Assert.Same(a, b);
        Assert.True(p == b.Data);
        Assert.Equal([16, 10], b.ShapeArray());
        var c = Tensor.Ensure(ref buf, 65, 10);
        Assert.NotSame(a, c);
        Assert.Equal(650, c.Capacity);
        c.Dispose();
    }

    [Fact]
    public void UseAfterDisposeThrows()
    {
        var t = new Tensor(3);
        t.Dispose();
        Assert.Throws<ObjectDisposedException>(() => t.AsSpan());
    }
}
