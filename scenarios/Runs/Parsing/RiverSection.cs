using System.Text.Json;
using static CityTwin.Scenarios.Runs.Parsing.ScenarioFields;

namespace CityTwin.Scenarios.Runs.Parsing;

/// <summary>
/// The <c>river</c> section: either an imposed stage rise over time, or a routed river (upstream inflow or an upstream
/// catchment, base flow, channel roughness and width), points in time order within the scenario.
/// </summary>
internal static class RiverSection
{
    /// <summary>Parses the section at <paramref name="path"/> of a scenario lasting <paramref name="scenarioDuration"/>.</summary>
    public static RiverSpec Parse(JsonElement e, string path, TimeSpan scenarioDuration, ScenarioRunOptions o)
    {
        CheckFields(e, path, ["stage", .. RiverFlowFields]);
        if (!e.TryGetProperty("stage", out _))
        {
            return ParseRiverFlow(e, path, scenarioDuration, o);
        }

        RejectFlowFieldsBesideStage(e, path);
        return new RiverSpec(TimedPoints(e, path, "stage", "riseM", -10, 30, scenarioDuration, o, (at, v) => new RiverStagePoint(at, v)));
    }

    private static readonly string[] RiverFlowFields = ["baseFlowM3s", "inflow", "catchment", "manningN", "widthM"];

    private static void RejectFlowFieldsBesideStage(JsonElement e, string path)
    {
        foreach (string field in RiverFlowFields)
        {
            if (e.TryGetProperty(field, out _))
            {
                throw new ScenarioValidationException($"{path}.{field}", "cannot be combined with stage: an imposed stage is not routed");
            }
        }
    }

    // A list of {at, <valueField>} points at increasing times within the scenario.
    private static List<T> TimedPoints<T>(JsonElement e, string path, string field, string valueField, double min, double max, TimeSpan scenarioDuration,
        ScenarioRunOptions o, Func<TimeSpan, double, T> point)
    {
        JsonElement array = RequiredArray(e, path, field, $"{{at, {valueField}}}", o.MaxListItems, "Scenarios:MaxListItems");
        var points = new List<T>();
        TimeSpan? previous = null;
        int n = 0;
        foreach (JsonElement p in array.EnumerateArray())
        {
            string pp = $"{path}.{field}[{n++}]";
            RequireObject(p, pp);
            CheckFields(p, pp, ["at", valueField]);
            TimeSpan at = RequiredDuration(p, pp, "at");
            CheckDuration(at, $"{pp}.at", TimeSpan.Zero, scenarioDuration, "$.duration");
            if (previous is { } before && at <= before)
            {
                throw new ScenarioValidationException($"{pp}.at", "must be later than the previous point");
            }

            previous = at;
            points.Add(point(at, RequiredNumber(p, pp, valueField, min, max)));
        }

        return points;
    }

    private static RiverSpec ParseRiverFlow(JsonElement e, string path, TimeSpan scenarioDuration, ScenarioRunOptions o)
    {
        double? baseFlow = e.TryGetProperty("baseFlowM3s", out JsonElement b) && b.ValueKind != JsonValueKind.Null
            ? RequiredNumber(e, path, "baseFlowM3s", 0, 1_000_000)
            : null;

        List<RiverInflowPoint> inflow = e.TryGetProperty("inflow", out JsonElement i) && i.ValueKind != JsonValueKind.Null
            ? TimedPoints(e, path, "inflow", "m3s", 0, 1_000_000, scenarioDuration, o, (at, v) => new RiverInflowPoint(at, v))
            : [];

        UpstreamCatchment? catchment = null;
        if (e.TryGetProperty("catchment", out JsonElement c) && c.ValueKind != JsonValueKind.Null)
        {
            string cp = $"{path}.catchment";
            RequireObject(c, cp);
            CheckFields(c, cp, ["areaKm2", "curveNumber", "lagHours"]);
            catchment = new UpstreamCatchment(
                RequiredNumber(c, cp, "areaKm2", 0.01, 1_000_000),
                RequiredNumber(c, cp, "curveNumber", 30, 100),
                RequiredNumber(c, cp, "lagHours", 0.05, 240));
        }

        return new RiverSpec([])
        {
            BaseFlowM3s = baseFlow,
            Inflow = inflow,
            Catchment = catchment,
            ManningN = OptionalNumber(e, path, "manningN", RiverSpec.DefaultManningN, 0.01, 0.2),
            WidthM = OptionalNumber(e, path, "widthM", RiverSpec.DefaultWidthM, 1, 5_000),
        };
    }
}
