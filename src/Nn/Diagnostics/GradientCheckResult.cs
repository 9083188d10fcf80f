namespace Hpc.Nn;

/// <summary>Outcome of a <see cref="GradientCheck"/> over one tensor.</summary>
/// <param name="Name">What was checked ("input", a parameter name...).</param>
/// <param name="Count">Elements compared.</param>
/// <param name="MaxAbsError">Largest |analytic - numeric|.</param>
/// <param name="MaxRelError">Largest |analytic - numeric| / max(|analytic|, |numeric|).</param>
/// <param name="WorstIndex">Element furthest outside (or closest to) its tolerance.</param>
/// <param name="WorstAnalytic">Analytic gradient at <paramref name="WorstIndex"/>.</param>
/// <param name="WorstNumeric">Numeric gradient at <paramref name="WorstIndex"/>.</param>
/// <param name="Passed">Every element within tolerance.</param>
public readonly record struct GradientCheckResult(string Name, int Count, double MaxAbsError, double MaxRelError,
    int WorstIndex, double WorstAnalytic, double WorstNumeric, bool Passed)
{
    public override string ToString() =>
        $"{Name}: {(Passed ? "ok" : "FAILED")} over {Count} (max abs {MaxAbsError:G3}, max rel {MaxRelError:G3}; " +
        $"worst #{WorstIndex}: analytic {WorstAnalytic:G6} vs numeric {WorstNumeric:G6})";
}
