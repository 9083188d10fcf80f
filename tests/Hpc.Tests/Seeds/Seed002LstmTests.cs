using Hpc.Nn;
using Xunit;

namespace Hpc.Tests.Seeds;

/// <summary>
/// Seed 002's LSTM numbers through <see cref="Lstm"/>: the forget gate of eq. 108-109 and the
/// backward chain of eq. 132-138. The seed's slips: eq. 134 labels its factor 1 - tanh(c_t) but
/// multiplies by 1 - tanh^2(c_t) (what is tested), and eq. 115 puts a weight on c_t that its
/// derivative then ignores, so c_t here is the value whose 1 - tanh^2 the seed prints. Its eq. 133
/// rounds 0.85 x 0.52098661 = 0.44283862 to 0.442839512, so the chain's second unit agrees to ~1e-6.
/// </summary>
public class Seed002LstmTests
{
    public static TheoryData<Isa> Isas()
    {
        var d = new TheoryData<Isa>();
        foreach (var isa in new[] { Isa.Scalar, Isa.Avx2, Isa.Avx512 })
            if (Context.IsSupported(isa)) d.Add(isa);
        return d;
    }

    private static void Close(double expected, double actual, double tol, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: expected {expected:R}, got {actual:R}");

    /// <summary>Eq. 108-109: z_f = W^(f) [1; h; x] = [6, -6, 0], f = sigmoid(z_f), c = f * c_{t-1} with i * g = 0.</summary>
    [Theory]
    [MemberData(nameof(Isas))]
    public void ForgetGateOfEquations108And109(Isa isa)
    {
        using var ctx = new Context(isa);
        // The seed's h_{t-1} has 2 entries for a 3-unit cell: a third hidden unit of 0 with zero weights.
        using var lstm = new Lstm(1, 3, ctx: ctx);
        foreach (var p in lstm.Parameters()) p.Value.Fill(0f);
        var wih = lstm.WeightIh(0).Value.AsSpan();
        var whh = lstm.WeightHh(0).Value.AsSpan();
        float[] row = [1f, -1f, 0f];
        for (int u = 0; u < 3; u++)
        {
            int r = 3 + u; // forget gate rows follow the input gate's 3
            wih[r] = row[u];
            whh[r * 3 + 0] = row[u];
            whh[r * 3 + 1] = row[u];
        }
        using var state = lstm.CreateState(1);
        state.Hidden.CopyFrom([1f, 1f, 0f]);
        state.Cell!.CopyFrom([1f, 1f, 1f]);
        using var x = Tensor.FromArray([4f], 1, 1, 1);
        lstm.Forward(x, state, training: false);
        double[] f = [0.997527377, 0.002472623, 0.500000000];
        for (int u = 0; u < 3; u++) Close(f[u], state.Cell.AsSpan()[u], 1e-6, $"c_t = f_t [{u}]");
    }

    /// <summary>
    /// Eq. 132-138 with c_{t-1} = [0.3, 0.6], h_{t-1} = [0.1, 0.8], x = 0.9 (Figure 41):
    /// dE_{t+1}/dh_t = [0.75, 0.25] and dE_{t+1}/dc_t = [0.35, 0.50] arrive at the final state,
    /// dE_t/do_t = [0.15, 0.60] at the output. The gates are set through the biases to the values
    /// the seed uses (o = [0.575420058, 0.52098661]; f from f(1 - f) = [0.248743973, 0.249694],
    /// taking the root above 1/2; i = 1/2 and g chosen so that 1 - tanh^2(c_t) is the seed's).
    /// </summary>
    [Theory]
    [MemberData(nameof(Isas))]
    public void BackwardChainOfEquations132To138(Isa isa)
    {
        using var ctx = new Context(isa);
        using var lstm = new Lstm(1, 2, ctx: ctx);
        foreach (var p in lstm.Parameters()) p.Value.Fill(0f);
        double[] cPrev = [0.3, 0.6], hPrev = [0.1, 0.8], o = [0.575420058, 0.52098661];
        double[] fOneMinusF = [0.248743973, 0.249694], oneMinusTanh2 = [0.999184559, 0.997048635];
        var b = lstm.BiasIh(0)!.Value.AsSpan();
        var fGate = new double[2];
        for (int u = 0; u < 2; u++)
        {
            fGate[u] = 0.5 + Math.Sqrt(0.25 - fOneMinusF[u]);
            double c = Math.Atanh(Math.Sqrt(1 - oneMinusTanh2[u]));
            double g = (c - fGate[u] * cPrev[u]) / 0.5;
            b[u] = 0f;                                             // i = 1/2
            b[2 + u] = (float)Math.Log(fGate[u] / (1 - fGate[u])); // f
            b[4 + u] = (float)Math.Atanh(g);                       // g
            b[6 + u] = (float)Math.Log(o[u] / (1 - o[u]));         // o
        }
        using var state = lstm.CreateState(1);
        state.Hidden.CopyFrom([(float)hPrev[0], (float)hPrev[1]]);
        state.Cell!.CopyFrom([(float)cPrev[0], (float)cPrev[1]]);
        using var x = Tensor.FromArray([0.9f], 1, 1, 1);
        lstm.Forward(x, state, training: true);

        using var dOut = Tensor.FromArray([0.15f, 0.60f], 1, 1, 2);   // dE_t/do_t
        using var dFinal = lstm.CreateState(1);
        dFinal.Hidden.CopyFrom([0.75f, 0.25f]);                       // dE_{t+1}/dh_t
        dFinal.Cell!.CopyFrom([0.35f, 0.50f]);                        // dE_{t+1}/dc_t
        using var dInitial = lstm.CreateState(1);
        lstm.Backward(dOut, dFinal, dInitial, computeInputGradient: true);

        // Eq. 135 through eq. 125: dE/dc_{t-1} = f * dE/dc_t.
        double[] dc = [0.867455753, 0.941532531];
        for (int u = 0; u < 2; u++) Close(dc[u], dInitial.Cell!.AsSpan()[u] / fGate[u], 2e-6, $"dE/dc_t [{u}] (eq. 135)");
        // Eq. 137-138: delta_f and Delta W^(f) = delta_f [1, h_{t-1}, x]: the bias, W_hh and W_ih rows of the forget gate.
        double[][] dW = [[0.064732317, 0.006473232, 0.051785854, 0.058259085], [0.141057014, 0.014105701, 0.112845611, 0.126951313]];
        var db = lstm.BiasIh(0)!.Grad.AsSpan();
        var dbh = lstm.BiasHh(0)!.Grad.AsSpan();
        var dwhh = lstm.WeightHh(0).Grad.AsSpan();
        var dwih = lstm.WeightIh(0).Grad.AsSpan();
        for (int u = 0; u < 2; u++)
        {
            int r = 2 + u;
            Close(dW[u][0], db[r], 1e-6, $"delta_f [{u}] (eq. 137)");
            Close(dW[u][0], dbh[r], 1e-6, $"delta_f via b_hh [{u}]");
            Close(dW[u][1], dwhh[r * 2 + 0], 1e-6, $"Delta W^(f) [{u}, h1]");
            Close(dW[u][2], dwhh[r * 2 + 1], 1e-6, $"Delta W^(f) [{u}, h2]");
            Close(dW[u][3], dwih[r], 1e-6, $"Delta W^(f) [{u}, x]");
        }
    }
}
