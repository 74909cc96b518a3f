using System.Globalization;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// One clause of <c>q</c>: <c>field==value</c>, <c>!=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c>. Fields are the summary's
/// (id, kind, name, status, buildingId, gridId, communityId, streetId, cellId, parentId, value, unit) or its properties.
/// Numbers compare numerically, everything else as case-insensitive text.
/// </summary>
public sealed record AttributeFilter(string Field, string Operator, string Value)
{
    private static readonly string[] Operators = ["==", "!=", ">=", "<=", ">", "<"];

    // Computed once per query rather than per candidate: a radius query tests thousands of summaries.
    private readonly string _field = Field.ToLowerInvariant();
    private readonly double? _number = double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) ? n : null;

    /// <summary>Parses "status==alarm;kind==gas"; returns an error message instead when malformed.</summary>
    public static (List<AttributeFilter> Filters, string? Error) Parse(string? q)
    {
        var filters = new List<AttributeFilter>();
        if (string.IsNullOrWhiteSpace(q))
        {
            return (filters, null);
        }

        foreach (string clause in q.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string? op = Operators.FirstOrDefault(o => clause.Contains(o, StringComparison.Ordinal));
            if (op is null)
            {
                return (filters, $"'{clause}' has no operator; use field==value, !=, >, >=, < or <=, separated by ';'.");
            }

            int at = clause.IndexOf(op, StringComparison.Ordinal);
            string field = clause[..at].Trim();
            string value = clause[(at + op.Length)..].Trim();
            if (field.Length == 0 || value.Length == 0)
            {
                return (filters, $"'{clause}' needs a field and a value.");
            }

            filters.Add(new AttributeFilter(field, op, value));
        }

        return (filters, null);
    }

    /// <summary>True when <paramref name="s"/> satisfies this clause; a missing field never matches.</summary>
    public bool Matches(EntitySummary s)
    {
        object? actual = _field switch
        {
            "id" => s.Id,
            "type" => s.Type.ToString(),
            "kind" => s.Kind,
            "name" => s.Name,
            "status" => s.Status,
            "buildingid" => s.BuildingId,
            "gridid" => s.GridId,
            "communityid" => s.CommunityId,
            "streetid" => s.StreetId,
            "cellid" => s.CellId,
            "parentid" => s.ParentId,
            "value" => s.Value,
            "unit" => s.Unit,
            _ => Property(s.Properties),
        };
        if (actual is null)
        {
            return false;
        }

        int cmp;
        if (actual is IConvertible c && actual is not string && _number is { } wanted)
        {
            cmp = c.ToDouble(CultureInfo.InvariantCulture).CompareTo(wanted);
        }
        else
        {
            cmp = string.Compare(Convert.ToString(actual, CultureInfo.InvariantCulture), Value, StringComparison.OrdinalIgnoreCase);
        }

        return Operator switch
        {
            "==" => cmp == 0,
            "!=" => cmp != 0,
            ">" => cmp > 0,
            ">=" => cmp >= 0,
            "<" => cmp < 0,
            _ => cmp <= 0,
        };
    }

    private object? Property(IReadOnlyDictionary<string, object>? properties)
    {
        if (properties is null)
        {
            return null;
        }

        if (properties.TryGetValue(Field, out object? exact))
        {
            return exact;
        }

        foreach ((string key, object value) in properties)
        {
            if (string.Equals(key, Field, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
