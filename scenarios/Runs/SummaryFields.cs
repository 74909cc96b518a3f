using System.Globalization;
using System.Text.Json;
using CityTwin.Grains.Model;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// Tolerant reads of <see cref="EntitySummary"/> kinds and properties: kinds compare without case or separators
/// ("MuckTruck", "muck-truck", "muckTruck" are one kind) and properties may be numbers, strings or JSON values.
/// </summary>
internal static class SummaryFields
{
    /// <summary>A kind or name reduced to lower-case letters and digits.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        Span<char> buffer = text.Length <= 128 ? stackalloc char[text.Length] : new char[text.Length];
        int n = 0;
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                buffer[n++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..n]);
    }

    /// <summary>True when the summary's kind names <paramref name="kind"/>.</summary>
    public static bool IsKind(EntitySummary summary, string kind) => Normalize(summary.Kind) == Normalize(kind);

    /// <summary>A numeric property (case-insensitive name), or null.</summary>
    public static double? Number(EntitySummary summary, string name)
    {
        if (summary.Properties is null)
        {
            return null;
        }

        // The exact name is the usual case (a run reads every cell's terrain this way); any case is the fallback.
        if (summary.Properties.TryGetValue(name, out object? exact))
        {
            return AsNumber(exact);
        }

        foreach ((string key, object value) in summary.Properties)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return AsNumber(value);
            }
        }

        return null;
    }

    private static double? AsNumber(object value) => value switch
    {
        double d => d,
        int i => i,
        long l => l,
        float f => f,
        decimal m => (double)m,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) => p,
        JsonElement { ValueKind: JsonValueKind.Number } j => j.GetDouble(),
        _ => null,
    };

    /// <summary>The number at the end of an id ("building-42" -> 42), for a stable order; long.MaxValue when none.</summary>
    public static long IdNumber(string id)
    {
        int i = id.Length;
        while (i > 0 && char.IsDigit(id[i - 1]))
        {
            i--;
        }

        return i < id.Length && long.TryParse(id.AsSpan(i), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : long.MaxValue;
    }

    /// <summary>Orders entities by the number in their id, then the id.</summary>
    public static IOrderedEnumerable<EntitySummary> InIdOrder(this IEnumerable<EntitySummary> summaries) =>
        summaries.OrderBy(s => IdNumber(s.Id)).ThenBy(s => s.Id, StringComparer.Ordinal);
}
