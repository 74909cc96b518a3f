using System.Globalization;
using System.Text.Json;
using System.Xml;

namespace CityTwin.Scenarios.Runs.Parsing;

/// <summary>
/// Reads the fields of a scenario file with their bounds checks: every failure is a <see cref="ScenarioValidationException"/>
/// naming the JSON path of the field and why it is bad, and a value out of its range or budget is refused here.
/// </summary>
internal static class ScenarioFields
{
    /// <summary>Refuses a selector (<c>@...</c>) that names no known kind of entity.</summary>
    public static void CheckSelector(string value, string path)
    {
        if (value.StartsWith('@') && !EntitySelectors.IsEntitySelector(value))
        {
            throw new ScenarioValidationException(path, $"unknown selector '{value}'; use an entity id or one of {string.Join(", ", EntitySelectors.EntitySelectorNames)}");
        }
    }

    /// <summary>Refuses a time outside the range a scenario may name.</summary>
    public static DateTimeOffset CheckTime(DateTimeOffset time, string path) =>
        ScenarioParser.TimeOutOfRange(time) is { } why ? throw new ScenarioValidationException(path, why) : time;

    /// <summary>Refuses a duration outside [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="maxFrom"/> names where the maximum comes from.</summary>
    public static TimeSpan CheckDuration(TimeSpan value, string path, TimeSpan min, TimeSpan max, string maxFrom, string? minMeaning = null)
    {
        if (value < min || value > max)
        {
            string low = minMeaning ?? (min <= TimeSpan.Zero ? "zero" : XmlConvert.ToString(min));
            throw new ScenarioValidationException(path, $"must be from {low} to {XmlConvert.ToString(max)} ({maxFrom})");
        }

        return value;
    }

    /// <summary>A required, non-empty array of at most <paramref name="max"/> items.</summary>
    public static JsonElement RequiredArray(JsonElement e, string path, string field, string items, int max, string maxFrom)
    {
        if (!e.TryGetProperty(field, out JsonElement a) || a.ValueKind != JsonValueKind.Array || a.GetArrayLength() == 0)
        {
            throw new ScenarioValidationException($"{path}.{field}", $"must be a non-empty array of {items}");
        }

        if (a.GetArrayLength() > max)
        {
            throw new ScenarioValidationException($"{path}.{field}", $"holds {a.GetArrayLength()} items; at most {max} are allowed ({maxFrom})");
        }

        return a;
    }

    /// <summary>An optional object section of the root, parsed by <paramref name="parse"/>; null when absent.</summary>
    public static T? Section<T>(JsonElement root, string name, Func<JsonElement, string, T> parse) where T : class
    {
        if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        RequireObject(e, $"$.{name}");
        return parse(e, $"$.{name}");
    }

    /// <summary>Refuses anything but a JSON object.</summary>
    public static void RequireObject(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioValidationException(path, "must be an object");
        }
    }

    /// <summary>Refuses a field not in <paramref name="known"/>, so a misspelt field is reported rather than ignored.</summary>
    public static void CheckFields(JsonElement e, string path, string[] known)
    {
        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (!known.Contains(p.Name, StringComparer.Ordinal))
            {
                throw new ScenarioValidationException($"{path}.{p.Name}", $"is not a known field here; known fields: {string.Join(", ", known.Where(k => k[0] != '$'))}");
            }
        }
    }

    /// <summary>A required non-empty string.</summary>
    public static string RequiredString(JsonElement e, string path, string field)
    {
        if (!e.TryGetProperty(field, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            throw new ScenarioValidationException($"{path}.{field}", "is required");
        }

        if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
        {
            throw new ScenarioValidationException($"{path}.{field}", "must be a non-empty string");
        }

        return v.GetString()!;
    }

    /// <summary>An optional non-empty string; null when absent.</summary>
    public static string? OptionalString(JsonElement e, string path, string field) =>
        e.TryGetProperty(field, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? RequiredString(e, path, field) : null;

    /// <summary>A required finite number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static double RequiredNumber(JsonElement e, string path, string field, double min, double max)
    {
        if (!e.TryGetProperty(field, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            throw new ScenarioValidationException($"{path}.{field}", "is required");
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d))
        {
            throw new ScenarioValidationException($"{path}.{field}", "must be a number");
        }

        if (d < min || d > max)
        {
            throw new ScenarioValidationException($"{path}.{field}", $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
        }

        return d;
    }

    /// <summary>An optional number within [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="defaultValue"/> when absent.</summary>
    public static double OptionalNumber(JsonElement e, string path, string field, double defaultValue, double min, double max) =>
        e.TryGetProperty(field, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? RequiredNumber(e, path, field, min, max) : defaultValue;

    /// <summary>A required ISO 8601 duration.</summary>
    public static TimeSpan RequiredDuration(JsonElement e, string path, string field) =>
        OptionalDuration(e, path, field) ?? throw new ScenarioValidationException($"{path}.{field}", "is required");

    /// <summary>An optional ISO 8601 duration; null when absent.</summary>
    public static TimeSpan? OptionalDuration(JsonElement e, string path, string field)
    {
        if (!e.TryGetProperty(field, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String || !ScenarioParser.TryParseDuration(v.GetString(), out TimeSpan d))
        {
            throw new ScenarioValidationException($"{path}.{field}", "must be an ISO 8601 duration (e.g. PT10M, PT3H, P1D)");
        }

        return d;
    }

    /// <summary>A required enum value, spelt in kebab case or as the member name (any case).</summary>
    public static T RequiredEnum<T>(JsonElement e, string path, string field) where T : struct, Enum
    {
        if (!e.TryGetProperty(field, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            throw new ScenarioValidationException($"{path}.{field}", $"is required: one of {Names<T>()}");
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            string text = v.GetString()!;
            foreach (T value in Enum.GetValues<T>())
            {
                if (string.Equals(ScenarioParser.Kebab(value.ToString()), text, StringComparison.OrdinalIgnoreCase) || string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }
        }

        throw new ScenarioValidationException($"{path}.{field}", $"must be one of {Names<T>()}");
    }

    /// <summary>An optional enum value; <paramref name="defaultValue"/> when absent.</summary>
    public static T OptionalEnum<T>(JsonElement e, string path, string field, T defaultValue) where T : struct, Enum =>
        e.TryGetProperty(field, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? RequiredEnum<T>(e, path, field) : defaultValue;

    /// <summary>The file spellings of an enum's values, for messages.</summary>
    public static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => ScenarioParser.Kebab(v.ToString())));
}
