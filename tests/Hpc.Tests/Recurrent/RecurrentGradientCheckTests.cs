using Hpc.Nn;
using Hpc.Tests.Nn;
using Xunit;
using Xunit.Abstractions;

namespace Hpc.Tests.Recurrent;

/// <summary>
/// Rnn and Lstm against central differences over sequences of 1 to 7 steps, starting from a
/// carried (non-zero) state and with gradients arriving at the outputs and at the final state:
/// every parameter, the input and the initial state.
/// </summary>
public class RecurrentGradientCheckTests(ITestOutputHelper output)
{
    public static TheoryData<bool, int> Cases()
    {
        var d = new TheoryData<bool, int>();
        foreach (bool lstm in new[] { false, true })
            for (int steps = 1; steps <= 7; steps++) d.Add(lstm, steps);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsMatchCentralDifferences(bool lstm, int steps)
    {
        const int input = 3, hidden = 4, batch = 2, layers = 2;
        using var ctx = new Context(Isa.Auto);
        using RecurrentLayer layer = lstm ? new Lstm(input, hidden, layers, ctx: ctx) : new Rnn(input, hidden, layers, ctx: ctx);
        layer.ResetParameters(InitScheme.PyTorchDefault, new Rng((ulong)(40 + steps)));
        foreach (var p in layer.Parameters()) for (int i = 0; i < p.Value.Length; i++) p.Value.AsSpan()[i] *= 1.5f;
        using var x = Synthetic.RandomTensor((ulong)(50 + steps), 1.0, steps, batch, input);
        using var carried = layer.CreateState(batch);
        Init.Uniform(carried.Hidden.AsSpan(), 0.8, new Rng(61));
        if (carried.Cell is not null) Init.Uniform(carried.Cell.AsSpan(), 0.8, new Rng(62));
        using var state = layer.CreateState(batch);
        using var ry = Synthetic.RandomTensor(63, 1.0, steps, batch, hidden);
        using var dFinal = layer.CreateState(batch);
        Init.Uniform(dFinal.Hidden.AsSpan(), 1.0, new Rng(64));
        if (dFinal.Cell is not null) Init.Uniform(dFinal.Cell.AsSpan(), 1.0, new Rng(65));

        double Objective()
        {
            carried.Hidden.AsSpan().CopyTo(state.Hidden.AsSpan());
            carried.Cell?.AsSpan().CopyTo(state.Cell!.AsSpan());
            var y = layer.Forward(x, state, training: true).AsSpan();
            double s = 0;
            for (int i = 0; i < y.Length; i++) s += (double)ry.AsSpan()[i] * y[i];
            for (int i = 0; i < state.Hidden.Length; i++) s += (double)dFinal.Hidden.AsSpan()[i] * state.Hidden.AsSpan()[i];
            if (state.Cell is not null)
                for (int i = 0; i < state.Cell.Length; i++) s += (double)dFinal.Cell!.AsSpan()[i] * state.Cell.AsSpan()[i];
            return s;
        }

        Objective();
        using var dInitial = layer.CreateState(batch);
        var dx = layer.Backward(ry, dFinal, dInitial, computeInputGradient: true)!.ToArray();
        var grads = layer.Parameters().Select(p => (p, p.Grad.ToArray())).ToList();
        var results = new List<GradientCheckResult> { GradientCheck.Compare("x", Objective, x, dx, 1e-2, 2e-4, 1e-2) };
        foreach (var (p, g) in grads) results.Add(GradientCheck.Compare(p.Name, Objective, p.Value, g, 1e-2, 2e-4, 1e-2));
        results.Add(GradientCheck.Compare("h0", Objective, carried.Hidden, dInitial.Hidden.ToArray(), 1e-2, 2e-4, 1e-2));
        if (carried.Cell is not null)
            results.Add(GradientCheck.Compare("c0", Objective, carried.Cell, dInitial.Cell!.ToArray(), 1e-2, 2e-4, 1e-2));
        Assert.Equal(1 + 4 * layers + (lstm ? 2 : 1), results.Count);
        foreach (var r in results)
        {
            output.WriteLine(r.ToString());
            Assert.True(r.Passed, r.ToString());
        }
    }
}
