namespace Hpc.Nn;

/// <summary>Mean loss and accuracy of a model over a data set.</summary>
public readonly record struct EvalResult(double Loss, double Accuracy, int Count, int Correct);
