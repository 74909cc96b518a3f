using System.Globalization;
using System.Text.Json;
using System.Xml;
using CityTwin.Grains.Geo;
using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// Reads and validates scenario files. Every error names the JSON path of the bad field and why it is bad, e.g.
/// "$.timeline[2].at: must be an ISO 8601 duration or time". Unknown fields are errors too, so a misspelt field is
/// reported rather than silently ignored. Sizes and durations are bounded by <see cref="ScenarioRunOptions"/>, so a file
/// that parses is one a run can carry out within its memory and time budget.
/// </summary>
public static partial class ScenarioParser
{
    /// <summary>Earliest time a scenario or replay may name.</summary>
    public static readonly DateTimeOffset EarliestTime = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Latest time a scenario or replay may name.</summary>
    public static readonly DateTimeOffset LatestTime = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Shortest rainfall block: finer blocks add memory and nothing a 1 s physics step could see.
    private static readonly TimeSpan MinRainfallInterval = TimeSpan.FromSeconds(1);

    // Unit kinds a drill incident may ask for.
    private static readonly HashSet<string> DrillUnitKinds = new(["responder", "fire-engine", "ambulance", "patrol-car"], StringComparer.Ordinal);

    private static readonly string[] _topFields = ["name", "title", "kind", "start", "duration", "stepSeconds", "reportEvery", "rainfall", "river", "gas", "drill", "timeline", "$schema", "description"];

    /// <summary>Parses a scenario from JSON text, within <paramref name="limits"/> (default: the default budgets).</summary>
    public static ScenarioDefinition Parse(string json, ScenarioRunOptions? limits = null)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return Parse(document.RootElement, limits);
        }
        catch (JsonException e)
        {
            throw new ScenarioValidationException($"$", $"is not well-formed JSON ({e.Message})");
        }
    }

    /// <summary>
    /// Parses a scenario from a JSON element (the root object of a file, or the <c>definition</c> of a request), within
    /// <paramref name="limits"/> (default: the default budgets).
    /// </summary>
    public static ScenarioDefinition Parse(JsonElement root, ScenarioRunOptions? limits = null)
    {
        ScenarioRunOptions o = limits ?? new ScenarioRunOptions();
        RequireObject(root, "$");
        CheckFields(root, "$", _topFields);
        string name = OptionalString(root, "$", "name") ?? "scenario";
        string title = OptionalString(root, "$", "title") ?? name;
        ScenarioKind kind = RequiredEnum<ScenarioKind>(root, "$", "kind");
        DateTimeOffset? start = null;
        if (root.TryGetProperty("start", out JsonElement s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind != JsonValueKind.String || !TryParseTime(s.GetString(), out DateTimeOffset at))
            {
                throw new ScenarioValidationException("$.start", "must be an ISO 8601 date and time (e.g. 2024-07-10T14:00:00Z)");
            }

            start = CheckTime(at, "$.start");
        }

        TimeSpan duration = RequiredDuration(root, "$", "duration");
        CheckDuration(duration, "$.duration", TimeSpan.FromSeconds(1), o.MaxSimulatedDuration, "Scenarios:MaxSimulatedDuration");
        if (start + duration > LatestTime)
        {
            throw new ScenarioValidationException("$.duration", $"must end by {LatestTime:yyyy-MM-dd} (start + duration)");
        }

        double stepSeconds = OptionalNumber(root, "$", "stepSeconds", 60, 1, 3600);
        TimeSpan reportEvery = OptionalDuration(root, "$", "reportEvery") ?? TimeSpan.FromMinutes(10);
        CheckDuration(reportEvery, "$.reportEvery", TimeSpan.FromSeconds(stepSeconds), o.MaxSimulatedDuration, "Scenarios:MaxSimulatedDuration", "at least one physics step (stepSeconds)");

        var definition = new ScenarioDefinition(name, title, kind, start, duration, TimeSpan.FromSeconds(stepSeconds), reportEvery)
        {
            Rainfall = Section(root, "rainfall", (e, p) => ParseRainfall(e, p, duration, o)),
            River = Section(root, "river", (e, p) => ParseRiver(e, p, duration, o)),
            Gas = Section(root, "gas", ParseGas),
            Drill = Section(root, "drill", (e, p) => ParseDrill(e, p, duration, o)),
            Timeline = ParseTimeline(root, duration, start, o),
        };

        if (definition.River?.Catchment is not null && definition.Rainfall is null)
        {
            throw new ScenarioValidationException("$.river.catchment", "needs the scenario's rainfall to fall on it");
        }

        switch (kind)
        {
            case ScenarioKind.Rainfall when definition.Rainfall is null:
                throw new ScenarioValidationException("$.rainfall", "is required for kind 'rainfall'");
            case ScenarioKind.RiverRise when definition.River is null:
                throw new ScenarioValidationException("$.river", "is required for kind 'river-rise'");
            case ScenarioKind.GasLeak when definition.Gas is null:
                throw new ScenarioValidationException("$.gas", "is required for kind 'gas-leak'");
            case ScenarioKind.Drill when definition.Drill is null:
                throw new ScenarioValidationException("$.drill", "is required for kind 'drill'");
            case ScenarioKind.EventChain when definition.Timeline.Count == 0:
                throw new ScenarioValidationException("$.timeline", "must hold at least one event for kind 'event-chain'");
        }

        return definition;
    }

    /// <summary>The file spelling of an enum value (kebab-case: <c>GasLeak</c> -> <c>gas-leak</c>).</summary>
    public static string Kebab(string name)
    {
        var b = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    b.Append('-');
                }

                b.Append(char.ToLowerInvariant(c));
            }
            else
            {
                b.Append(c);
            }
        }

        return b.ToString();
    }

    /// <summary>Parses an ISO 8601 duration ("PT10M", "P1DT2H"); false for anything else.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text) || !text.StartsWith('P'))
        {
            return false;
        }

        try
        {
            duration = XmlConvert.ToTimeSpan(text);
            return duration >= TimeSpan.Zero;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static RainfallSpec ParseRainfall(JsonElement e, string path, TimeSpan scenarioDuration, ScenarioRunOptions o)
    {
        CheckFields(e, path, ["totalMm", "duration", "pattern", "interval", "peakRatio", "blocks"]);
        RainfallPattern pattern = OptionalEnum(e, path, "pattern", RainfallPattern.Chicago);
        TimeSpan interval = OptionalDuration(e, path, "interval") ?? TimeSpan.FromMinutes(5);
        CheckDuration(interval, $"{path}.interval", MinRainfallInterval, scenarioDuration, "$.duration");

        // The Chicago storm's peak lies strictly inside the storm: at 0 or 1 its intensity curve has no finite shape.
        double peak = OptionalNumber(e, path, "peakRatio", 0.4, 0, 1);
        if (peak is <= 0 or >= 1)
        {
            throw new ScenarioValidationException($"{path}.peakRatio", "must be greater than 0 and less than 1 (where the peak falls within the storm)");
        }

        if (pattern == RainfallPattern.Blocks)
        {
            JsonElement blocks = RequiredArray(e, path, "blocks", "{minutes, mm} for pattern 'blocks'", o.MaxRainfallBlocks, "Scenarios:MaxRainfallBlocks");
            var list = new List<RainfallBlock>();
            int i = 0;
            foreach (JsonElement b in blocks.EnumerateArray())
            {
                string p = $"{path}.blocks[{i++}]";
                RequireObject(b, p);
                CheckFields(b, p, ["minutes", "mm"]);
                list.Add(new RainfallBlock(RequiredNumber(b, p, "minutes", MinRainfallInterval.TotalMinutes, scenarioDuration.TotalMinutes), RequiredNumber(b, p, "mm", 0, 2_000)));
            }

            TimeSpan stormLength = TimeSpan.FromMinutes(list.Sum(b => b.Minutes));
            if (stormLength > scenarioDuration)
            {
                throw new ScenarioValidationException($"{path}.blocks", $"must last at most the scenario's duration ({XmlConvert.ToString(scenarioDuration)}) in all");
            }

            return new RainfallSpec(list.Sum(b => b.Mm), stormLength, pattern, interval, peak, list);
        }

        double total = RequiredNumber(e, path, "totalMm", 0, 2_000);
        TimeSpan duration = RequiredDuration(e, path, "duration");
        CheckDuration(duration, $"{path}.duration", interval, scenarioDuration, "$.duration", "at least one interval");
        double blockCount = Math.Ceiling(duration / interval);
        if (blockCount > o.MaxRainfallBlocks)
        {
            TimeSpan shortest = duration / o.MaxRainfallBlocks;
            throw new ScenarioValidationException($"{path}.interval",
                $"makes {blockCount:0} rainfall blocks; at most {o.MaxRainfallBlocks} are allowed (Scenarios:MaxRainfallBlocks), so the interval must be at least {XmlConvert.ToString(TimeSpan.FromSeconds(Math.Ceiling(shortest.TotalSeconds)))}");
        }

        return new RainfallSpec(total, duration, pattern, interval, peak, []);
    }

    private static RiverSpec ParseRiver(JsonElement e, string path, TimeSpan scenarioDuration, ScenarioRunOptions o)
    {
        CheckFields(e, path, ["stage", .. RiverFlowFields]);
        if (!e.TryGetProperty("stage", out _))
        {
            return ParseRiverFlow(e, path, scenarioDuration, o);
        }

        RejectFlowFieldsBesideStage(e, path);
        return new RiverSpec(TimedPoints(e, path, "stage", "riseM", -10, 30, scenarioDuration, o, (at, v) => new RiverStagePoint(at, v)));
    }

    private static GasSpec ParseGas(JsonElement e, string path)
    {
        CheckFields(e, path, ["source", "substance", "release", "rateGps", "massG", "sourceHeightM", "wind", "stability", "insolation", "nightCloudOktas", "dispersion"]);
        string source = RequiredString(e, path, "source");
        CheckSelector(source, $"{path}.source");
        GasSubstance substance = OptionalEnum(e, path, "substance", GasSubstance.Methane);
        GasRelease release = OptionalEnum(e, path, "release", GasRelease.Continuous);
        double rate = release == GasRelease.Continuous ? RequiredNumber(e, path, "rateGps", 0, 1e7) : OptionalNumber(e, path, "rateGps", 0, 0, 1e7);
        double mass = release == GasRelease.Instantaneous ? RequiredNumber(e, path, "massG", 0, 1e10) : OptionalNumber(e, path, "massG", 0, 0, 1e10);
        double height = OptionalNumber(e, path, "sourceHeightM", 1.5, 0, 500);
        double? windSpeed = null;
        double windFrom = 45;
        if (e.TryGetProperty("wind", out JsonElement w) && w.ValueKind != JsonValueKind.Null)
        {
            string wp = $"{path}.wind";
            RequireObject(w, wp);
            CheckFields(w, wp, ["speedMps", "fromDegrees"]);
            if (w.TryGetProperty("speedMps", out JsonElement ws) && ws.ValueKind != JsonValueKind.Null)
            {
                windSpeed = RequiredNumber(w, wp, "speedMps", 0.1, 60);
            }

            windFrom = OptionalNumber(w, wp, "fromDegrees", 45, 0, 360);
        }

        StabilityClass? stability = null;
        if (e.TryGetProperty("stability", out JsonElement st) && st.ValueKind != JsonValueKind.Null)
        {
            if (st.ValueKind != JsonValueKind.String || !PasquillGiffordStability.TryParse(st.GetString(), out StabilityClass parsed))
            {
                throw new ScenarioValidationException($"{path}.stability", "must be one of A, B, C, D, E, F");
            }

            stability = parsed;
        }

        Insolation insolation = OptionalEnum(e, path, "insolation", Insolation.Moderate);
        int? oktas = null;
        if (e.TryGetProperty("nightCloudOktas", out JsonElement ok) && ok.ValueKind != JsonValueKind.Null)
        {
            double o = RequiredNumber(e, path, "nightCloudOktas", 0, 8);
            if (o != Math.Floor(o))
            {
                throw new ScenarioValidationException($"{path}.nightCloudOktas", "must be a whole number of oktas from 0 to 8");
            }

            oktas = (int)o;
        }

        DispersionScheme dispersion = OptionalEnum(e, path, "dispersion", DispersionScheme.BriggsUrban);
        return new GasSpec(source, substance, release, rate, mass, height, windSpeed, windFrom, stability, insolation, oktas, dispersion);
    }

    private static DrillSpec ParseDrill(JsonElement e, string path, TimeSpan scenarioDuration, ScenarioRunOptions o)
    {
        CheckFields(e, path, ["responderSpeedKmh", "vehicleSpeedKmh", "networkFactor", "dispatchDelay", "onScene", "targetTravelSeconds", "targetShare", "incidents"]);
        double responder = OptionalNumber(e, path, "responderSpeedKmh", 15, 1, 200);
        double vehicle = OptionalNumber(e, path, "vehicleSpeedKmh", 40, 1, 200);
        double network = OptionalNumber(e, path, "networkFactor", 1.3, 1, 5);
        TimeSpan dispatch = CheckDuration(OptionalDuration(e, path, "dispatchDelay") ?? TimeSpan.FromSeconds(60), $"{path}.dispatchDelay", TimeSpan.Zero, o.MaxSimulatedDuration, "Scenarios:MaxSimulatedDuration");
        TimeSpan onScene = CheckDuration(OptionalDuration(e, path, "onScene") ?? TimeSpan.FromMinutes(15), $"{path}.onScene", TimeSpan.Zero, o.MaxSimulatedDuration, "Scenarios:MaxSimulatedDuration");
        double target = OptionalNumber(e, path, "targetTravelSeconds", 240, 1, 86_400);
        double share = OptionalNumber(e, path, "targetShare", 0.9, 0, 1);
        JsonElement incidents = RequiredArray(e, path, "incidents", "incidents", o.MaxListItems, "Scenarios:MaxListItems");

        var list = new List<DrillIncidentSpec>();
        int i = 0;
        foreach (JsonElement x in incidents.EnumerateArray())
        {
            string p = $"{path}.incidents[{i}]";
            RequireObject(x, p);
            CheckFields(x, p, ["id", "at", "building", "sensorKind", "value", "category", "units"]);
            string building = RequiredString(x, p, "building");
            CheckSelector(building, $"{p}.building");
            string sensorKind = OptionalString(x, p, "sensorKind") ?? "gas";
            if (!Enum.TryParse<CityTwin.Grains.Model.SensorKind>(sensorKind.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out _))
            {
                throw new ScenarioValidationException($"{p}.sensorKind", "must name a sensor kind (gas, smoke, carbon-monoxide, sos-button, …)");
            }

            var units = new List<string>();
            if (x.TryGetProperty("units", out JsonElement u) && u.ValueKind != JsonValueKind.Null)
            {
                if (u.ValueKind != JsonValueKind.Array || u.GetArrayLength() == 0 || u.GetArrayLength() > DrillUnitKinds.Count * 10)
                {
                    throw new ScenarioValidationException($"{p}.units", $"must be a non-empty array of at most {DrillUnitKinds.Count * 10} unit kinds (responder, fire-engine, ambulance, patrol-car)");
                }

                int k = 0;
                foreach (JsonElement unit in u.EnumerateArray())
                {
                    string up = $"{p}.units[{k++}]";
                    if (unit.ValueKind != JsonValueKind.String || !DrillUnitKinds.Contains(unit.GetString()!))
                    {
                        throw new ScenarioValidationException(up, "must be one of responder, fire-engine, ambulance, patrol-car");
                    }

                    units.Add(unit.GetString()!);
                }
            }
            else
            {
                units.Add("responder");
            }

            TimeSpan at = CheckDuration(RequiredDuration(x, p, "at"), $"{p}.at", TimeSpan.Zero, scenarioDuration, "$.duration");
            list.Add(new DrillIncidentSpec(
                OptionalString(x, p, "id") ?? $"incident-{i + 1}", at, building, sensorKind,
                OptionalNumber(x, p, "value", 100, -1e9, 1e9), OptionalString(x, p, "category") ?? sensorKind, units));
            i++;
        }

        return new DrillSpec(responder, vehicle, network, dispatch, onScene, target, share, list);
    }

    private static List<TimelineEvent> ParseTimeline(JsonElement root, TimeSpan duration, DateTimeOffset? start, ScenarioRunOptions o)
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
        if (TryParseDuration(text, out TimeSpan offset))
        {
            return offset;
        }

        if (text is not null && text.Contains('T', StringComparison.Ordinal) && TryParseTime(text, out DateTimeOffset at))
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

    private static void CheckSelector(string value, string path)
    {
        if (value.StartsWith('@') && !EntitySelectors.IsEntitySelector(value))
        {
            throw new ScenarioValidationException(path, $"unknown selector '{value}'; use an entity id or one of {string.Join(", ", EntitySelectors.EntitySelectorNames)}");
        }
    }

    /// <summary>Parses an ISO 8601 date and time (UTC unless an offset is given); false for anything else.</summary>
    public static bool TryParseTime(string? text, out DateTimeOffset time)
    {
        bool ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
        time = time.ToUniversalTime();
        return ok;
    }

    /// <summary>Why <paramref name="time"/> is out of the range a scenario or replay may name, or null when it is in range.</summary>
    public static string? TimeOutOfRange(DateTimeOffset time) =>
        time < EarliestTime || time > LatestTime ? $"must be between {EarliestTime:yyyy-MM-dd} and {LatestTime:yyyy-MM-dd}" : null;

    private static DateTimeOffset CheckTime(DateTimeOffset time, string path) =>
        TimeOutOfRange(time) is { } why ? throw new ScenarioValidationException(path, why) : time;

    private static TimeSpan CheckDuration(TimeSpan value, string path, TimeSpan min, TimeSpan max, string maxFrom, string? minMeaning = null)
    {
        if (value < min || value > max)
        {
            string low = minMeaning ?? (min <= TimeSpan.Zero ? "zero" : XmlConvert.ToString(min));
            throw new ScenarioValidationException(path, $"must be from {low} to {XmlConvert.ToString(max)} ({maxFrom})");
        }

        return value;
    }

    private static JsonElement RequiredArray(JsonElement e, string path, string field, string items, int max, string maxFrom)
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

    private static T? Section<T>(JsonElement root, string name, Func<JsonElement, string, T> parse) where T : class
    {
        if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        RequireObject(e, $"$.{name}");
        return parse(e, $"$.{name}");
    }

    private static void RequireObject(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioValidationException(path, "must be an object");
        }
    }

    private static void CheckFields(JsonElement e, string path, string[] known)
    {
        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (!known.Contains(p.Name, StringComparer.Ordinal))
            {
                throw new ScenarioValidationException($"{path}.{p.Name}", $"is not a known field here; known fields: {string.Join(", ", known.Where(k => k[0] != '$'))}");
            }
        }
    }

    private static string RequiredString(JsonElement e, string path, string field)
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

    private static string? OptionalString(JsonElement e, string path, string field) =>
        e.TryGetProperty(field, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? RequiredString(e, path, field) : null;

    private static double RequiredNumber(JsonElement e, string path, string field, double min, double max)
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

    private static double OptionalNumber(JsonElement e, string path, string field, double defaultValue, double min, double max) =>
        e.TryGetProperty(field, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? RequiredNumber(e, path, field, min, max) : defaultValue;

    private static TimeSpan RequiredDuration(JsonElement e, string path, string field) =>
        OptionalDuration(e, path, field) ?? throw new ScenarioValidationException($"{path}.{field}", "is required");

    private static TimeSpan? OptionalDuration(JsonElement e, string path, string field)
    {
        if (!e.TryGetProperty(field, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String || !TryParseDuration(v.GetString(), out TimeSpan d))
        {
            throw new ScenarioValidationException($"{path}.{field}", "must be an ISO 8601 duration (e.g. PT10M, PT3H, P1D)");
        }

        return d;
    }

    private static T RequiredEnum<T>(JsonElement e, string path, string field) where T : struct, Enum
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
                if (string.Equals(Kebab(value.ToString()), text, StringComparison.OrdinalIgnoreCase) || string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }
        }

        throw new ScenarioValidationException($"{path}.{field}", $"must be one of {Names<T>()}");
    }

    private static T OptionalEnum<T>(JsonElement e, string path, string field, T defaultValue) where T : struct, Enum =>
        e.TryGetProperty(field, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? RequiredEnum<T>(e, path, field) : defaultValue;

    private static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => Kebab(v.ToString())));
}
