using System.Text.Json;
using static CityTwin.Scenarios.Runs.Parsing.ScenarioFields;

namespace CityTwin.Scenarios.Runs.Parsing;

/// <summary>The <c>river</c> section: the river's stage rise over time, points in time order within the scenario.</summary>
internal static class RiverSection
{
    /// <summary>Parses the section at <paramref name="path"/> of a scenario lasting <paramref name="scenarioDuration"/>.</summary>
    public static RiverSpec Parse(JsonElement e, string path, TimeSpan scenarioDuration, ScenarioRunOptions o)
    {
        CheckFields(e, path, ["stage"]);
        JsonElement stage = RequiredArray(e, path, "stage", "{at, riseM}", o.MaxListItems, "Scenarios:MaxListItems");

        var points = new List<RiverStagePoint>();
        int i = 0;
        foreach (JsonElement p in stage.EnumerateArray())
        {
            string pp = $"{path}.stage[{i++}]";
            RequireObject(p, pp);
            CheckFields(p, pp, ["at", "riseM"]);
            TimeSpan at = RequiredDuration(p, pp, "at");
            CheckDuration(at, $"{pp}.at", TimeSpan.Zero, scenarioDuration, "$.duration");
            if (points.Count > 0 && at <= points[^1].At)
            {
                throw new ScenarioValidationException($"{pp}.at", "must be later than the previous point");
            }

            points.Add(new RiverStagePoint(at, RequiredNumber(p, pp, "riseM", -10, 30)));
        }

        return new RiverSpec(points);
    }
}
