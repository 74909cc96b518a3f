using System.Text.Json;

namespace CityTwin.Scenarios.Runs;

// The routed river's part of a scenario file (river without stage).
public static partial class ScenarioParser
{
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

    private static RiverSpec ParseRiverFlow(JsonElement e, string path, TimeSpan scenarioDuration, ScenarioRunOptions o)
    {
        double? baseFlow = e.TryGetProperty("baseFlowM3s", out JsonElement b) && b.ValueKind != JsonValueKind.Null
            ? RequiredNumber(e, path, "baseFlowM3s", 0, 1_000_000)
            : null;

        var inflow = new List<RiverInflowPoint>();
        if (e.TryGetProperty("inflow", out JsonElement i) && i.ValueKind != JsonValueKind.Null)
        {
            JsonElement points = RequiredArray(e, path, "inflow", "{at, m3s}", o.MaxListItems, "Scenarios:MaxListItems");
            int n = 0;
            foreach (JsonElement p in points.EnumerateArray())
            {
                string pp = $"{path}.inflow[{n++}]";
                RequireObject(p, pp);
                CheckFields(p, pp, ["at", "m3s"]);
                TimeSpan at = RequiredDuration(p, pp, "at");
                CheckDuration(at, $"{pp}.at", TimeSpan.Zero, scenarioDuration, "$.duration");
                if (inflow.Count > 0 && at <= inflow[^1].At)
                {
                    throw new ScenarioValidationException($"{pp}.at", "must be later than the previous point");
                }

                inflow.Add(new RiverInflowPoint(at, RequiredNumber(p, pp, "m3s", 0, 1_000_000)));
            }
        }

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
