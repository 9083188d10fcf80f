using Hpc.Interop;
using Hpc.Nn;
using Hpc.Tests.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Text;

/// <summary>Embedding lookup and table gradient: finite differences with repeated indices, thread-count bit identity, bad indices.</summary>
public class EmbeddingTests(ITestOutputHelper output)
{
    // Rows 2 and 5 appear several times, in several positions: their gradients must sum.
    private static readonly float[] RepeatedIndices = [2, 5, 2, 0, 5, 5, 2, 1, 2, 6, 6, 2];

    [Fact]
    public void ForwardPlacesEachPositionsVectorSideBySide()
    {
        using var emb = new Embedding(7, 3);
        using var x = Tensor.FromArray(RepeatedIndices, 4, 3);
        var y = emb.Forward(x, training: true);
        Assert.Equal([4, 9], y.ShapeArray());
        var table = emb.Weight.Value;
        for (int r = 0; r < 4; r++)
            for (int p = 0; p < 3; p++)
                for (int j = 0; j < 3; j++)
                    Assert.Equal(table[(int)RepeatedIndices[r * 3 + p], j], y[r, p * 3 + j]);
    }

    [Fact]
    public void TableGradientMatchesFiniteDifferencesWithRepeatedIndices()
    {
        using var emb = new Embedding(7, 3);
        using var x = Tensor.FromArray(RepeatedIndices, 4, 3);
        using var r = Synthetic.RandomTensor(3, 1.0, 4, 9);
        emb.Forward(x, training: true);
        emb.Backward(r, computeInputGradient: false);
        var analytic = emb.Weight.Grad.ToArray();

        double Objective()
        {
            var y = emb.Forward(x, training: true).AsSpan();
            var rs = r.AsSpan();
            double s = 0;
            for (int i = 0; i < y.Length; i++) s += (double)rs[i] * y[i];
            return s;
        }

        var result = GradientCheck.Compare("weight", Objective, emb.Weight.Value, analytic, h: 1e-2, atol: 1e-4, rtol: 1e-3);
        output.WriteLine(result.ToString());
        Assert.True(result.Passed, result.ToString());
        // Row 3 and 4 were never looked up: exactly zero, and row 2 (five uses) is not.
        Assert.All(analytic.AsSpan(9, 6).ToArray(), g => Assert.Equal(0f, g));
        Assert.NotEqual(0f, analytic[6]);
    }

    [Fact]
    public void BackwardIsBitIdenticalForOneTwoAndThreeThreads()
    {
        const int rows = 50, dim = 40, batch = 200, positions = 3;
        var rng = new Rng(9);
        var indices = new int[batch * positions];
        for (int i = 0; i < indices.Length; i++) indices[i] = rng.NextInt(4) == 0 ? rng.NextInt(rows) : rng.NextInt(3);
        using var dy = Synthetic.RandomTensor(10, 1.0, batch, positions * dim);
        float[]? reference = null;
        for (int threads = 1; threads <= 3; threads++)
        {
            using var ctx = new Context(Isa.Auto, threads);
            using var emb = new Embedding(rows, dim, ctx);
            emb.Forward(indices, positions);
            emb.Backward(dy, computeInputGradient: false);
            var grad = emb.Weight.Grad.ToArray();
            if (reference is null) reference = grad;
            else Assert.True(reference.AsSpan().SequenceEqual(grad), $"{threads} threads differ from 1 thread");
        }
        // ... and equal to the plain loop summing in index order.
        var want = new float[rows * dim];
        for (int i = 0; i < indices.Length; i++)
            for (int j = 0; j < dim; j++) want[indices[i] * dim + j] += dy.AsSpan()[i * dim + j];
        Assert.True(want.AsSpan().SequenceEqual(reference), "differs from the scalar loop");
    }

    [Theory]
    [InlineData(7f, "indices[4] = 7")]
    [InlineData(-1f, "indices[4] = -1")]
    public void AnIndexOutsideTheTableIsAnInvalidArgumentNamingIt(float bad, string needle)
    {
        using var emb = new Embedding(7, 3);
        using var x = Tensor.FromArray([0, 1, 2, 3, bad, 5], 2, 3);
        var e = Assert.Throws<HpcInvalidArgumentException>(() => emb.Forward(x, training: true));
        Assert.Contains(needle, e.Message);
    }

    [Fact]
    public void AFractionalIndexIsRejected()
    {
        using var emb = new Embedding(7, 3);
        using var x = Tensor.FromArray([0, 1.5f], 1, 2);
        var e = Assert.Throws<ArgumentException>(() => emb.Forward(x, training: true));
        Assert.Contains("x[0, 1] = 1.5", e.Message);
    }
}
