using System.Text.Json;
using Hpc.Nn;
using Hpc.Tests.EndToEnd;
using Xunit;

namespace Hpc.Tests.Recurrent;

/// <summary>
/// Rnn and Lstm against PyTorch's nn.RNN / nn.LSTM (tests/golden/recurrent, made by
/// make_golden.py there): the parameters load under PyTorch's names unchanged, and the outputs,
/// final states and every gradient of L = sum(y ry) + sum(h_n rh) + sum(c_n rc) agree to 1e-5.
/// Every SIMD path this CPU has.
/// </summary>
public class RecurrentGoldenTests
{
    public static TheoryData<string, Isa> Cases()
    {
        var d = new TheoryData<string, Isa>();
        foreach (var name in new[] { "lstm_2layer", "lstm_batch_first", "rnn_tanh" })
            foreach (var isa in IsaPaths.All)
                d.Add(name, isa);
        return d;
    }

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    private static void Close(float[] expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name, Isa isa)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot.Find(), "tests", "golden", "recurrent", name + ".json")));
        var g = doc.RootElement;
        bool lstm = g.GetProperty("kind").GetString() == "lstm";
        int input = g.GetProperty("input_size").GetInt32(), hidden = g.GetProperty("hidden").GetInt32();
        int layers = g.GetProperty("layers").GetInt32(), steps = g.GetProperty("steps").GetInt32(), batch = g.GetProperty("batch").GetInt32();
        bool batchFirst = g.GetProperty("batch_first").GetBoolean();
        using var ctx = IsaPaths.Open(isa);
        using RecurrentLayer layer = lstm ? new Lstm(input, hidden, layers, batchFirst, ctx: ctx) : new Rnn(input, hidden, layers, batchFirst, ctx: ctx);
        var parameters = layer.Parameters().ToList();
        Assert.Equal(g.GetProperty("params").EnumerateObject().Count(), parameters.Count);
        foreach (var p in parameters) p.Value.CopyFrom(Floats(g.GetProperty("params").GetProperty(p.Name)));

        using var x = Tensor.FromArray(Floats(g.GetProperty("x")), batchFirst ? [batch, steps, input] : [steps, batch, input]);
        using var state = layer.CreateState(batch);
        state.Hidden.CopyFrom(Floats(g.GetProperty("h0")));
        if (lstm) state.Cell!.CopyFrom(Floats(g.GetProperty("c0")));
        var y = layer.Forward(x, state, training: true);
        Close(Floats(g.GetProperty("y")), y.AsSpan(), "y");
        Close(Floats(g.GetProperty("h_n")), state.Hidden.AsSpan(), "h_n");
        if (lstm) Close(Floats(g.GetProperty("c_n")), state.Cell!.AsSpan(), "c_n");

        using var ry = Tensor.FromArray(Floats(g.GetProperty("ry")), y.ShapeArray());
        using var dFinal = layer.CreateState(batch);
        dFinal.Hidden.CopyFrom(Floats(g.GetProperty("rh")));
        if (lstm) dFinal.Cell!.CopyFrom(Floats(g.GetProperty("rc")));
        using var dInitial = layer.CreateState(batch);
        var dx = layer.Backward(ry, dFinal, dInitial, computeInputGradient: true)!;
        Close(Floats(g.GetProperty("dx")), dx.AsSpan(), "dx");
        Close(Floats(g.GetProperty("dh0")), dInitial.Hidden.AsSpan(), "dh0");
        if (lstm) Close(Floats(g.GetProperty("dc0")), dInitial.Cell!.AsSpan(), "dc0");
        foreach (var p in parameters) Close(Floats(g.GetProperty("grads").GetProperty(p.Name)), p.Grad.AsSpan(), "d" + p.Name);
    }
}
