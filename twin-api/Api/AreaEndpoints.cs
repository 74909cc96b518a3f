using System.Collections.Frozen;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// GET /api/areas/{id}/vitals: the city's vital signs (rain, wind, air pressure, soil moisture, dust, parking) in an
/// area, from the latest reading of every street sensor in it as the read model holds it now.
/// </summary>
public static class AreaEndpoints
{
    /// <summary>The street-sensor kinds summarised as vital signs (cameras report detections, not a vital sign).</summary>
    public static readonly FrozenSet<string> VitalKinds = FrozenSet.ToFrozenSet(
        new[] { SensorKind.Rain, SensorKind.Wind, SensorKind.AirPressure, SensorKind.SoilMoisture, SensorKind.Pm10, SensorKind.Parking, SensorKind.WaterLevel }
            .Select(k => k.ToString()), StringComparer.Ordinal);

    /// <summary>Maps the vitals endpoint.</summary>
    public static IEndpointRouteBuilder MapAreaEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/areas/{id}/vitals", GetVitals).WithName("GetAreaVitals")
            .WithSummary("Per street-sensor kind in the area: sensors, how many reported, mean / min / max of their latest readings, unit, latest update.");
        return app;
    }

    private static IResult GetVitals(TwinDirectory directory, string id)
    {
        if (directory.Get(EntityType.Area, id) is not { } area)
        {
            return ApiProblems.NotFound($"No area '{id}'. GET /api/areas lists them.");
        }

        Func<EntitySummary, bool> inArea = area.Kind switch
        {
            nameof(AreaKind.Street) => s => s.StreetId == id,
            nameof(AreaKind.Community) => s => s.CommunityId == id,
            nameof(AreaKind.Grid) => s => s.GridId == id,
            _ => _ => true,
        };

        var byKind = new SortedDictionary<string, Vital>(StringComparer.Ordinal);
        foreach (EntitySummary s in directory.OfType(EntityType.Sensor))
        {
            if (s.BuildingId is not null || s.Kind is null || !VitalKinds.Contains(s.Kind) || !inArea(s))
            {
                continue;
            }

            if (!byKind.TryGetValue(s.Kind, out Vital? vital))
            {
                byKind[s.Kind] = vital = new Vital(JsonNamingPolicy.CamelCase.ConvertName(s.Kind));
            }

            vital.Add(s);
        }

        return Results.Ok(new { area = id, areaKind = area.Kind, vitals = byKind.Values.Select(v => v.ToResult()).ToArray() });
    }

    /// <summary>Accumulates one kind's latest readings.</summary>
    private sealed class Vital(string kind)
    {
        private int _sensors, _reporting, _offline;
        private double _sum, _min = double.PositiveInfinity, _max = double.NegativeInfinity;
        private string? _unit;
        private DateTimeOffset? _updatedAt;

        public void Add(EntitySummary s)
        {
            _sensors++;
            _unit ??= s.Unit;
            if (s.Status == SensorState.Offline)
            {
                // An offline sensor's last value is stale; it does not speak for the area now.
                _offline++;
                return;
            }

            if (s.Value is not { } v)
            {
                return;
            }

            _reporting++;
            _sum += v;
            _min = Math.Min(_min, v);
            _max = Math.Max(_max, v);
            _updatedAt = _updatedAt is { } u && u >= s.UpdatedAt ? u : s.UpdatedAt;
        }

        public object ToResult() => new
        {
            kind,
            sensors = _sensors,
            reporting = _reporting,
            offline = _offline,
            mean = _reporting == 0 ? (double?)null : _sum / _reporting,
            min = _reporting == 0 ? (double?)null : _min,
            max = _reporting == 0 ? (double?)null : _max,
            unit = _unit,
            updatedAt = _updatedAt,
        };
    }
}
