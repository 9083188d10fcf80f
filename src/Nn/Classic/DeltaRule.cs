namespace Hpc.Nn;

/// <summary>
/// A linear neuron y = w . x + b trained by the delta rule (Widrow-Hoff, seed 000) on
/// E = 1/2 sum_n (t_n - y_n)^2: online, w += rate (t - y) x after each example; full batch,
/// w += rate sum_n (t_n - y_n) x_n once per pass (the true gradient step).
/// </summary>
public sealed class DeltaRule : SingleNeuron
{
    public DeltaRule(int inputs, float learningRate) : base(inputs, learningRate) { }

    /// <summary>The linear output y = z = w . x + b.</summary>
    public override double Output(ReadOnlySpan<float> x) => Net(x);

    /// <summary>E = 1/2 sum (t - y)^2 over the set.</summary>
    public double Error(float[][] inputs, float[] targets)
    {
        Check(inputs, targets);
        double e = 0;
        for (int n = 0; n < inputs.Length; n++)
        {
            double r = targets[n] - Output(inputs[n]);
            e += 0.5 * r * r;
        }
        return e;
    }

    /// <summary>One online pass: an update after every example, in order. Returns E after the pass.</summary>
    public double OnlineEpoch(float[][] inputs, float[] targets)
    {
        Check(inputs, targets);
        for (int n = 0; n < inputs.Length; n++)
        {
            double r = targets[n] - Output(inputs[n]);
            for (int i = 0; i < _w.Length; i++) _w[i] += LearningRate * r * inputs[n][i];
            Bias += LearningRate * r;
        }
        return Error(inputs, targets);
    }

    /// <summary>One full-batch step: the residuals of the whole set, then one update. Returns E after the step.</summary>
    public double BatchEpoch(float[][] inputs, float[] targets)
    {
        Check(inputs, targets);
        var dw = new double[_w.Length];
        double db = 0;
        for (int n = 0; n < inputs.Length; n++)
        {
            double r = targets[n] - Output(inputs[n]);
            for (int i = 0; i < _w.Length; i++) dw[i] += r * inputs[n][i];
            db += r;
        }
        for (int i = 0; i < _w.Length; i++) _w[i] += LearningRate * dw[i];
        Bias += LearningRate * db;
        return Error(inputs, targets);
    }
}
