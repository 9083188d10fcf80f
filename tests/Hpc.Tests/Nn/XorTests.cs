using Hpc.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Nn;

public class XorTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Sigmoid)]
    public void A221NetworkLearnsXor(ActivationKind hidden)
    {
        // 2 inputs, 2 hidden units, 1 logistic output, squared error, full-batch SGD with momentum.
        // With only 2 hidden units and squared error, XOR has local minima that catch about a third
        // of random initialisations (seeds 1..20: 12 tanh and 15 logistic runs succeed), so the
        // seed is fixed; seed 1 is one that reaches the solution with both hidden activations.
        using var net = new Sequential(new Linear(2, 2), Hpc.Nn.Activation.Create(hidden), new Linear(2, 1), new Sigmoid());
        Init.Apply(net, InitScheme.XavierNormal, seed: 1);
        using var x = Tensor.FromArray([0, 0, 0, 1, 1, 0, 1, 1], 4, 2);
        using var t = Tensor.FromArray([0, 1, 1, 0], 4, 1);
        var loss = new MseLoss();
        using var sgd = new Sgd(net.Parameters(), lr: 0.5f, momentum: 0.9f);
        float l = float.NaN;
        for (int step = 0; step < 3000; step++)
        {
            l = loss.Forward(net.Forward(x, training: true), t);
            net.Backward(loss.Backward());
            sgd.Step();
        }
        var y = net.Forward(x, training: false).ToArray();
        output.WriteLine($"{hidden}: loss {l}, outputs {string.Join(", ", y)}");
        for (int i = 0; i < 4; i++)
            Assert.True((y[i] > 0.5f) == (t.AsSpan()[i] > 0.5f), $"XOR({i >> 1}, {i & 1}) -> {y[i]}");
        Assert.True(l < 0.05f, $"final loss {l}");
    }
}
