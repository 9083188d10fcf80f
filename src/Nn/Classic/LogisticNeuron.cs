namespace Hpc.Nn;

/// <summary>
/// One logistic unit y = sigma(w . x + b) trained by gradient descent on either the squared error
/// E = 1/2 sum (t - y)^2 (the logistic neuron rule of seed 000: dE/dw = -sum (t - y) y (1 - y) x)
/// or the cross-entropy, whose dE/dz = y - t does not vanish when the unit saturates (seed 004 3.1.1).
/// </summary>
public sealed class LogisticNeuron : SingleNeuron
{
    public LogisticNeuron(int inputs, float learningRate, NeuronLoss loss = NeuronLoss.SquaredError)
        : base(inputs, learningRate)
    {
        if (!Enum.IsDefined(loss)) throw new ArgumentOutOfRangeException(nameof(loss), loss, "unknown loss");
        Loss = loss;
    }

    public NeuronLoss Loss { get; }

    public override double Output(ReadOnlySpan<float> x) => 1.0 / (1.0 + Math.Exp(-Net(x)));

    /// <summary>dE/dz for one example under <see cref="Loss"/>: (y - t) y (1 - y), or y - t.</summary>
    public double DeltaZ(ReadOnlySpan<float> x, float target)
    {
        double y = Output(x);
        return Loss == NeuronLoss.SquaredError ? (y - target) * y * (1 - y) : y - target;
    }

    /// <summary>The loss over a set: 1/2 sum (t - y)^2, or -sum [t ln y + (1 - t) ln(1 - y)].</summary>
    public double Error(float[][] inputs, float[] targets)
    {
        Check(inputs, targets);
        double e = 0;
        for (int n = 0; n < inputs.Length; n++)
        {
            double y = Output(inputs[n]), t = targets[n];
            e += Loss == NeuronLoss.SquaredError
                ? 0.5 * (t - y) * (t - y)
                : -(t * Math.Log(Math.Max(y, 1e-300)) + (1 - t) * Math.Log(Math.Max(1 - y, 1e-300)));
        }
        return e;
    }

    /// <summary>One full-batch gradient step; returns the error after it.</summary>
    public double BatchEpoch(float[][] inputs, float[] targets)
    {
        Check(inputs, targets);
        var dw = new double[_w.Length];
        double db = 0;
        for (int n = 0; n < inputs.Length; n++)
        {
            double d = DeltaZ(inputs[n], targets[n]);
            for (int i = 0; i < _w.Length; i++) dw[i] += d * inputs[n][i];
            db += d;
        }
        for (int i = 0; i < _w.Length; i++) _w[i] -= LearningRate * dw[i];
        Bias -= LearningRate * db;
        return Error(inputs, targets);
    }
}

/// <summary>The error a <see cref="LogisticNeuron"/> descends.</summary>
public enum NeuronLoss
{
    /// <summary>E = 1/2 sum (t - y)^2.</summary>
    SquaredError,
    /// <summary>E = -sum [t ln y + (1 - t) ln(1 - y)].</summary>
    CrossEntropy,
}
