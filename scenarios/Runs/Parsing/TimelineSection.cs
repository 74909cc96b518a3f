using System.Text.Json;
using CityTwin.Grains.Geo;
using static CityTwin.Scenarios.Runs.Parsing.ScenarioFields;

namespace CityTwin.Scenarios.Runs.Parsing;

/// <summary>
/// The <c>timeline</c>: injected events (readings, gauge levels, vehicle positions, notes) at offsets or times within the
/// scenario, bounded by <see cref="ScenarioRunOptions.MaxListItems"/>, in time order.
/// </summary>
internal static class TimelineSection
{
    /// <summary>Parses the timeline of <paramref name="root"/>, a scenario starting at <paramref name="start"/> (if given) and lasting <paramref name="duration"/>.</summary>
    public static List<TimelineEvent> Parse(JsonElement root, TimeSpan duration, DateTimeOffset? start, ScenarioRunOptions o)
    {
        var list = new List<TimelineEvent>();
        if (!root.TryGetProperty("timeline", out JsonElement t) || t.ValueKind == JsonValueKind.Null)
        {
            return list;
        }

        if (t.ValueKind != JsonValueKind.Array)
        {
            throw new ScenarioValidationException("$.timeline", "must be an array of events");
        }

        if (t.GetArrayLength() > o.MaxListItems)
        {
            throw new ScenarioValidationException("$.timeline", $"holds {t.GetArrayLength()} events; at most {o.MaxListItems} are allowed (Scenarios:MaxListItems)");
        }

        int i = 0;
        foreach (JsonElement e in t.EnumerateArray())
        {
            string p = $"$.timeline[{i++}]";
            RequireObject(e, p);
            CheckFields(e, p, ["at", "type", "sensor", "vehicle", "gauge", "value", "unit", "position", "speedKmh", "covered", "loadTonnes", "levelM", "text"]);
            TimeSpan at = TimelineAt(e, p, start);
            if (at > duration)
            {
                throw new ScenarioValidationException($"{p}.at", "must not be later than the scenario's duration");
            }

            TimelineEventType type = RequiredEnum<TimelineEventType>(e, p, "type");
            TimelineEvent ev = type switch
            {
                TimelineEventType.Reading => new TimelineEvent(at, type, Target(e, p, "sensor"))
                {
                    Value = RequiredNumber(e, p, "value", -1e9, 1e9),
                    Unit = OptionalString(e, p, "unit"),
                },
                TimelineEventType.Gauge => new TimelineEvent(at, type, Target(e, p, "gauge"))
                {
                    Value = RequiredNumber(e, p, "levelM", -500, 9000),
                },
                TimelineEventType.Position => ParsePosition(e, p, at),
                _ => new TimelineEvent(at, type, null) { Text = RequiredString(e, p, "text") },
            };
            list.Add(ev);
        }

        // Events run in time order; a stable sort keeps the file's order among equal times.
        return [.. list.OrderBy(x => x.At)];
    }

    private static TimeSpan TimelineAt(JsonElement e, string p, DateTimeOffset? start)
    {
        if (!e.TryGetProperty("at", out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            throw new ScenarioValidationException($"{p}.at", "is required: an ISO 8601 duration after the start (PT10M) or time (2024-07-10T14:10:00Z)");
        }

        string? text = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (ScenarioParser.TryParseDuration(text, out TimeSpan offset))
        {
            return offset;
        }

        if (text is not null && text.Contains('T', StringComparison.Ordinal) && ScenarioParser.TryParseTime(text, out DateTimeOffset at))
        {
            if (start is null)
            {
                throw new ScenarioValidationException($"{p}.at", "is a time of day, which needs $.start; give an ISO 8601 duration after the start instead");
            }

            if (at < start.Value)
            {
                throw new ScenarioValidationException($"{p}.at", "must not be earlier than $.start");
            }

            return at - start.Value;
        }

        throw new ScenarioValidationException($"{p}.at", "must be an ISO 8601 duration or time");
    }

    private static TimelineEvent ParsePosition(JsonElement e, string p, TimeSpan at)
    {
        string vehicle = Target(e, p, "vehicle");
        if (!e.TryGetProperty("position", out JsonElement pos) || pos.ValueKind == JsonValueKind.Null)
        {
            throw new ScenarioValidationException($"{p}.position", "is required: [lon, lat] or a geofence selector (@construction-site, @checkpoint, @disposal-point)");
        }

        GeoPoint? point = null;
        string? reference = null;
        if (pos.ValueKind == JsonValueKind.String)
        {
            reference = pos.GetString()!;
            if (!EntitySelectors.IsPlaceSelector(reference))
            {
                throw new ScenarioValidationException($"{p}.position", $"must be [lon, lat] or one of {string.Join(", ", EntitySelectors.PlaceSelectors)}");
            }
        }
        else if (pos.ValueKind == JsonValueKind.Array && pos.GetArrayLength() == 2 && pos[0].ValueKind == JsonValueKind.Number && pos[1].ValueKind == JsonValueKind.Number
            && pos[0].GetDouble() is >= -180 and <= 180 && pos[1].GetDouble() is >= -90 and <= 90)
        {
            point = new GeoPoint(pos[0].GetDouble(), pos[1].GetDouble());
        }
        else
        {
            throw new ScenarioValidationException($"{p}.position", "must be [lon, lat] in degrees (lon -180..180, lat -90..90) or a geofence selector");
        }

        bool? covered = null;
        if (e.TryGetProperty("covered", out JsonElement c) && c.ValueKind != JsonValueKind.Null)
        {
            covered = c.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new ScenarioValidationException($"{p}.covered", "must be true or false"),
            };
        }

        return new TimelineEvent(at, TimelineEventType.Position, vehicle)
        {
            Position = point,
            PositionRef = reference,
            SpeedKmh = e.TryGetProperty("speedKmh", out JsonElement sp) && sp.ValueKind != JsonValueKind.Null ? RequiredNumber(e, p, "speedKmh", 0, 300) : null,
            Covered = covered,
            LoadTonnes = e.TryGetProperty("loadTonnes", out JsonElement lt) && lt.ValueKind != JsonValueKind.Null ? RequiredNumber(e, p, "loadTonnes", 0, 200) : null,
        };
    }

    private static string Target(JsonElement e, string path, string field)
    {
        string value = RequiredString(e, path, field);
        CheckSelector(value, $"{path}.{field}");
        return value;
    }
}
