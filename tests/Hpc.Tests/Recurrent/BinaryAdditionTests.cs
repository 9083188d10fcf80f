using Hpc.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Recurrent;

/// <summary>The tanh RNN learns 8-bit binary addition by full BPTT: it must carry a bit through its state.</summary>
public class BinaryAdditionTests(ITestOutputHelper output)
{
    [Fact]
    public void RnnLearnsToAddBinaryNumbers()
    {
        using var task = new BinaryAddition(bits: 8, hidden: 16, batch: 32, learningRate: 0.01f, seed: 7);
        double before = task.SumAccuracy(8);
        float loss = 0;
        for (int step = 0; step < 600; step++) loss = task.TrainStep();
        double after = task.SumAccuracy(8);
        output.WriteLine($"whole sums right: {before:P1} before, {after:P1} after 600 steps (last loss {loss:F4})");
        Assert.True(before < 0.2, $"an untrained model already adds {before:P1} of the sums");
        Assert.True(after > 0.98, $"after training only {after:P1} of the sums are right (loss {loss})");
    }
}
