using System.Text.Json;
using static CityTwin.Scenarios.Runs.Parsing.ScenarioFields;

namespace CityTwin.Scenarios.Runs.Parsing;

/// <summary>The <c>drill</c> section: unit speeds, delays, the response-time target and the incidents, within the scenario.</summary>
internal static class DrillSection
{
    // Unit kinds a drill incident may ask for.
    private static readonly HashSet<string> DrillUnitKinds = new(["responder", "fire-engine", "ambulance", "patrol-car"], StringComparer.Ordinal);

    /// <summary>Parses the section at <paramref name="path"/> of a scenario lasting <paramref name="scenarioDuration"/>.</summary>
    public static DrillSpec Parse(JsonElement e, string path, TimeSpan scenarioDuration, ScenarioRunOptions o)
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
}
