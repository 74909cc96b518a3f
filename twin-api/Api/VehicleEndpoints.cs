using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Api.Models;
using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Api;

/// <summary>POST /api/vehicles/positions (durable batch ingest) and GET /api/vehicles/{id}/trajectory (GeoJSON).</summary>
public static class VehicleEndpoints
{
    private const string GeoJson = "application/geo+json";

    /// <summary>Maps the vehicle endpoints.</summary>
    public static IEndpointRouteBuilder MapVehicleEndpoints(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/vehicles").WithTags("Vehicles");
        group.MapPost("/positions", PostPositionsAsync).WithName("PostVehiclePositions").Accepts<VehiclePositionBody[]>("application/json");
        group.MapGet("/{id}/trajectory", GetTrajectoryAsync).WithName("GetVehicleTrajectory");
        return app;
    }

    private static async Task<IResult> PostPositionsAsync(HttpRequest request, TwinDirectory directory, IGrainFactory grains, IEventLog eventLog, DeliveryWatermark watermark, CancellationToken ct)
    {
        (JsonDocument? doc, JsonElement batch, IResult? problem) = await ApiProblems.ReadBatchAsync(request, "positions", "positions {vehicleId, lon, lat, at, speedKmh?, covered?, loadTonnes?}", ct);
        if (problem is not null)
        {
            return problem;
        }

        using (doc)
        {
            (List<VehiclePositionInput> valid, List<ItemError> errors) = VehicleIngest.Parse(batch, id => directory.Get(EntityType.Vehicle, id) is not null);
            VehicleIngestResult result = await VehicleIngest.IngestAsync(eventLog, grains, watermark, valid, errors, ct);
            return Results.Json(result, statusCode: StatusCodes.Status202Accepted);
        }
    }

    private static async Task<IResult> GetTrajectoryAsync(string id, int? limit, TwinDirectory directory, IGrainFactory grains)
    {
        int take = limit ?? 500;
        if (take is < 1 or > 10_000)
        {
            return ApiProblems.BadRequest("limit must be between 1 and 10000.", "limit");
        }

        if (directory.Get(EntityType.Vehicle, id) is not { } summary
            || await grains.GetGrain<IVehicleGrain>(id).GetTrajectoryAsync(take) is not { } fixes)
        {
            return ApiProblems.NotFound($"No vehicle '{id}'.");
        }

        return new StreamedJson(GeoJson, body =>
        {
            using var w = new Utf8JsonWriter(body);
            GeoJsonWriter.WriteFeature(w, id, (summary, fixes), WriteGeometry, WriteProperties);
        });
    }

    /// <summary>A LineString through the fixes; a single fix is a Point and none is a null geometry (RFC 7946 allows it).</summary>
    private static void WriteGeometry(Utf8JsonWriter w, (EntitySummary Summary, VehiclePosition[] Fixes) s)
    {
        switch (s.Fixes.Length)
        {
            case 0:
                w.WriteNullValue();
                break;
            case 1:
                GeoJsonWriter.WritePoint(w, s.Fixes[0].Position);
                break;
            default:
                GeoJsonWriter.WriteLineString(w, s.Fixes.Select(f => f.Position).ToArray());
                break;
        }
    }

    /// <summary>The vehicle's identity and, per fix in line order, its time, speed, cover flag and load.</summary>
    private static void WriteProperties(Utf8JsonWriter w, (EntitySummary Summary, VehiclePosition[] Fixes) s)
    {
        w.WriteString("vehicleId", s.Summary.Id);
        w.WriteString("kind", s.Summary.Kind);
        w.WriteString("name", s.Summary.Name);
        w.WriteString("status", s.Summary.Status);
        w.WriteNumber("count", s.Fixes.Length);
        w.WriteStartArray("times");
        foreach (VehiclePosition f in s.Fixes)
        {
            w.WriteStringValue(f.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }

        w.WriteEndArray();
        WriteColumn(w, "speedsKmh", s.Fixes, f => f.SpeedKmh);
        WriteColumn(w, "loadTonnes", s.Fixes, f => f.LoadTonnes);
        w.WriteStartArray("covered");
        foreach (VehiclePosition f in s.Fixes)
        {
            if (f.Covered is { } c)
            {
                w.WriteBooleanValue(c);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
    }

    private static void WriteColumn(Utf8JsonWriter w, string name, VehiclePosition[] fixes, Func<VehiclePosition, double?> value)
    {
        w.WriteStartArray(name);
        foreach (VehiclePosition f in fixes)
        {
            if (value(f) is { } v)
            {
                w.WriteNumberValue(v);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
    }
}
