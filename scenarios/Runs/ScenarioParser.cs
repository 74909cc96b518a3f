using System.Globalization;
using System.Text.Json;
using System.Xml;
using CityTwin.Scenarios.Runs.Parsing;
using static CityTwin.Scenarios.Runs.Parsing.ScenarioFields;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// Reads and validates scenario files. Every error names the JSON path of the bad field and why it is bad, e.g.
/// "$.timeline[2].at: must be an ISO 8601 duration or time". Unknown fields are errors too, so a misspelt field is
/// reported rather than silently ignored. Sizes and durations are bounded by <see cref="ScenarioRunOptions"/>, so a file
/// that parses is one a run can carry out within its memory and time budget. This class reads the top level and checks
/// that the kind has its section; each section has a parser of its own (<see cref="RainfallSection"/>,
/// <see cref="RiverSection"/>, <see cref="GasSection"/>, <see cref="DrillSection"/>, <see cref="TimelineSection"/>), all
/// reading fields through <see cref="ScenarioFields"/>.
/// </summary>
public static class ScenarioParser
{
    /// <summary>Earliest time a scenario or replay may name.</summary>
    public static readonly DateTimeOffset EarliestTime = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Latest time a scenario or replay may name.</summary>
    public static readonly DateTimeOffset LatestTime = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] _topFields = ["name", "title", "kind", "start", "duration", "stepSeconds", "reportEvery", "rainfall", "river", "gas", "drill", "timeline", "liveCases", "$schema", "description"];

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
            Rainfall = Section(root, "rainfall", (e, p) => RainfallSection.Parse(e, p, duration, o)),
            River = Section(root, "river", (e, p) => RiverSection.Parse(e, p, duration, o)),
            Gas = Section(root, "gas", GasSection.Parse),
            Drill = Section(root, "drill", (e, p) => DrillSection.Parse(e, p, duration, o)),
            Timeline = TimelineSection.Parse(root, duration, start, o),
            LiveCases = OptionalEnum(root, "$", "liveCases", LiveCaseMode.Frozen),
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
}
