using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Classic;

public class ClassicRuleTests
{
    private static readonly float[][] X = [[1, 2], [2, 0.5f], [-1, 1], [0.5f, -2], [3, 1]];
    // t = 2 x0 - x1 + 0.5, exactly linear
    private static readonly float[] T = X.Select(x => 2 * x[0] - x[1] + 0.5f).ToArray();

    [Fact]
    public void DeltaRuleOnlineAndBatchFindTheLinearMap()
    {
        var online = new DeltaRule(2, 0.05f);
        var batch = new DeltaRule(2, 0.05f);
        double e0 = online.Error(X, T);
        double prevOnline = e0, prevBatch = e0;
        for (int epoch = 0; epoch < 400; epoch++)
        {
            double eo = online.OnlineEpoch(X, T);
            double eb = batch.BatchEpoch(X, T);
            Assert.True(eb <= prevBatch + 1e-12, $"full-batch error rose at epoch {epoch}: {prevBatch} -> {eb}");
            prevOnline = eo;
            prevBatch = eb;
        }
        Assert.True(prevOnline < 1e-6, $"online E = {prevOnline}");
        Assert.True(prevBatch < 1e-6, $"batch E = {prevBatch}");
        Assert.Equal(2, online.Weights[0], 3);
        Assert.Equal(-1, batch.Weights[1], 3);
        Assert.Equal(0.5, batch.Bias, 3);
    }

    [Fact]
    public void DeltaRuleBatchStepIsTheNegativeGradient()
    {
        var n = new DeltaRule(2, 0.1f);
        n.SetWeights([0.3, -0.2], 0.1);
        double dw0 = 0, dw1 = 0, db = 0;
        for (int i = 0; i < X.Length; i++)
        {
            double r = T[i] - (0.3 * X[i][0] - 0.2 * X[i][1] + 0.1);
            dw0 += r * X[i][0];
            dw1 += r * X[i][1];
            db += r;
        }
        n.BatchEpoch(X, T);
        Assert.Equal(0.3 + 0.1 * dw0, n.Weights[0], 6);
        Assert.Equal(-0.2 + 0.1 * dw1, n.Weights[1], 6);
        Assert.Equal(0.1 + 0.1 * db, n.Bias, 6);
    }

    [Fact]
    public void LogisticNeuronLearnsOrWithEitherLoss()
    {
        float[][] x = [[0, 0], [0, 1], [1, 0], [1, 1]];
        float[] t = [0, 1, 1, 1];
        foreach (var loss in new[] { NeuronLoss.SquaredError, NeuronLoss.CrossEntropy })
        {
            var n = new LogisticNeuron(2, 1f, loss);
            double e0 = n.Error(x, t), e = e0;
            for (int i = 0; i < 2000; i++) e = n.BatchEpoch(x, t);
            Assert.True(e < e0 / 10, $"{loss}: {e0} -> {e}");
            for (int i = 0; i < 4; i++) Assert.Equal(t[i], n.Output(x[i]) > 0.5 ? 1f : 0f);
        }
    }

    [Fact]
    public void TwoLayerNetworkLearnsXor()
    {
        using var x = Tensor.FromArray([0, 0, 0, 1, 1, 0, 1, 1], 4, 2);
        using var t = Tensor.FromArray([0, 1, 1, 0], 4, 1);
        using var net = new Sequential(new Linear(2, 3), new Sigmoid(), new Linear(3, 1), new Sigmoid());
        net.ResetParameters(InitScheme.XavierNormal, new Rng(2));
        using var opt = new Sgd(net.Parameters(), 0.5f, 0.9f);
        var loss = new SseLoss();
        float e = 0;
        for (int i = 0; i < 5000; i++)
        {
            e = loss.Forward(net.Forward(x, true), t);
            net.Backward(loss.Backward(), false);
            opt.Step();
        }
        var y = net.Forward(x, false).ToArray();
        Assert.True(e < 0.01f, $"E = {e}, outputs {string.Join(", ", y)}");
        Assert.Equal([0f, 1f, 1f, 0f], y.Select(v => v > 0.5f ? 1f : 0f).ToArray());
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Perceptron(0));
        var p = new Perceptron(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Train([1, 0], 2));
        Assert.Throws<ArgumentException>(() => p.Output([1, 0, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeltaRule(2, -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticNeuron(2, float.NaN));
        Assert.Throws<ArgumentException>(() => new DeltaRule(2, 0.1f).BatchEpoch(X, [1f]));
    }
}
