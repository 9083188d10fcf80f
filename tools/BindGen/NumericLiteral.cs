using System.Globalization;

namespace Hpc.BindGen;

/// <summary>Translates a C numeric literal token (with C's suffix and type rules) into a C# constant.</summary>
internal static class NumericLiteral
{
    /// <summary>The C# type and literal text, or null when the token is not a number.</summary>
    public static (string CsType, string Value)? Parse(string token, bool negative)
    {
        var t = token.Replace("'", "");
        if (t.Length == 0 || !(char.IsDigit(t[0]) || t[0] == '.')) return null;
        var isHex = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!isHex && (t.Contains('.') || t.Contains('e') || t.Contains('E')))
        {
            var isFloat = t.EndsWith('f') || t.EndsWith('F');
            var digits = t.TrimEnd('f', 'F', 'l', 'L');
            if (!double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return null;
            var sign = negative ? "-" : "";
            return isFloat
                ? ("float", sign + ((float)d).ToString("R", CultureInfo.InvariantCulture) + "f")
                : ("double", sign + d.ToString("R", CultureInfo.InvariantCulture));
        }

        var body = t.TrimEnd('u', 'U', 'l', 'L');
        var suffix = t[body.Length..].ToLowerInvariant();
        ulong value;
        try
        {
            value = isHex ? Convert.ToUInt64(body[2..], 16)
                : body.Length > 1 && body[0] == '0' ? Convert.ToUInt64(body, 8)
                : ulong.Parse(body, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException) { return null; }

        var unsigned = suffix.Contains('u');
        var wide = suffix.Contains('l');
        // C promotes an unsuffixed literal to the first type that holds it; the C# type follows.
        if (negative)
        {
            if (unsigned || value > (ulong)long.MaxValue + 1) return null;
            if (!wide && value <= (ulong)int.MaxValue + 1) return ("int", "-" + value.ToString(CultureInfo.InvariantCulture));
            return ("long", "-" + value.ToString(CultureInfo.InvariantCulture) + "L");
        }
        var text = value.ToString(CultureInfo.InvariantCulture);
        if (!wide && !unsigned && value <= int.MaxValue) return ("int", text);
        if (!wide && value <= uint.MaxValue && (unsigned || isHex)) return ("uint", text + "U");
        if (!unsigned && value <= long.MaxValue) return ("long", text + "L");
        return ("ulong", text + "UL");
    }
}
