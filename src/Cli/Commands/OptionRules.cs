using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Hpc.Cli.Commands;

/// <summary>Range checks for numeric options, reported by the parser as ordinary one-line usage errors.</summary>
internal static class OptionRules
{
    /// <summary>Accepts min &lt;= value &lt;= max; NaN is refused because no comparison holds for it.</summary>
    public static Option<T> InRange<T>(this Option<T> option, T min, T max, string? why = null)
        where T : INumber<T>
    {
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out T value)) return;
            if (!(value >= min && value <= max))
                result.AddError($"{option.Name} = {Format(value)} is outside {Format(min)}..{Format(max)}{(why is null ? "" : $" ({why})")}");
        });
        return option;
    }

    /// <summary>Accepts a finite value strictly above min (learning rates and similar).</summary>
    public static Option<T> Above<T>(this Option<T> option, T min)
        where T : INumber<T>
    {
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out T value)) return;
            if (!(value > min) || !T.IsFinite(value))
                result.AddError($"{option.Name} = {Format(value)} must be a finite number above {Format(min)}");
        });
        return option;
    }

    /// <summary>Accepts a finite value with min &lt;= value &lt; max (momentum, dropout rates).</summary>
    public static Option<T> InHalfOpen<T>(this Option<T> option, T min, T max)
        where T : INumber<T>
    {
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out T value)) return;
            if (!(value >= min && value < max))
                result.AddError($"{option.Name} = {Format(value)} is outside [{Format(min)}, {Format(max)})");
        });
        return option;
    }

    /// <summary>Accepts one of a fixed set of words (case-insensitive) and names them all, in one line, when refused.</summary>
    public static Option<string?> OneOf(this Option<string?> option, params string[] choices)
    {
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out string? value)) return;
            if (value is null || !choices.Contains(value, StringComparer.OrdinalIgnoreCase))
                result.AddError($"{option.Name} = '{value}' is not one of {string.Join(", ", choices)}");
        });
        option.CompletionSources.Add(choices);
        return option;
    }

    // A token that did not convert (--epochs x) is already a parse error of its own; reading the
    // value would throw instead of adding a second error.
    private static bool TryGet<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static string Format<T>(T value) where T : INumber<T> =>
        value.ToString(null, CultureInfo.InvariantCulture);
}
