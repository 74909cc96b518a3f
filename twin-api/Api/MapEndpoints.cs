using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.TwinApi.Auth;
using Microsoft.Extensions.Options;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// What the operations map at / draws from: GET /api/map/features?type= answers every entity of one type as one
/// compact GeoJSON FeatureCollection (no paging: the map draws the whole district), with cells as their squares and
/// only the fields the map styles and labels by, positions rounded to 6 decimal places (about 0.1 m); GET /api/session
/// names the role of the caller's key, so the page shows only the actions that role may take.
/// </summary>
public static class MapEndpoints
{
    private const string GeoJson = "application/geo+json";

    // 1e-6 degree is 0.11 m of latitude: finer than any footprint the twin holds, and half the bytes of full precision.
    private const int Decimals = 6;

    private static readonly EntityType[] MapTypes =
        [EntityType.Area, EntityType.Cell, EntityType.Building, EntityType.Sensor, EntityType.Gauge, EntityType.Vehicle, EntityType.Responder, EntityType.Station, EntityType.Geofence];

    private static readonly string TypeNames = string.Join(", ", MapTypes.Select(t => t.ToString().ToLowerInvariant()));

    /// <summary>Maps the map layer and session endpoints.</summary>
    public static IEndpointRouteBuilder MapMapEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var squares = new CellSquareCache();
        app.MapGet("/api/map/features", (TwinDirectory directory, string? type, string? homeSensors) => Features(directory, squares, type, homeSensors))
            .WithName("MapFeatures")
            .WithSummary("Every entity of one type (area, cell, building, sensor, gauge, vehicle, responder, station, geofence) as a FeatureCollection for the map: id, kind, name (areas, gauges, stations), status, value, unit, tier (gauges), parentId (areas), buildingId (sensors), sensors (buildings: how many are installed); cells as squares. With type=sensor, homeSensors=attention leaves out the sensors installed in a building while they are normal (the map draws those through their building); homeSensors=all (the default) keeps them.");
        app.MapGet("/api/session", Session).WithName("Session").AllowAnonymousAccess()
            .WithSummary("The role of the key sent in X-Api-Key (viewer, operator, planner, admin), or none, and whether reads need a key.");
        return app;
    }

    private static IResult Features(TwinDirectory directory, CellSquareCache squares, string? type, string? homeSensors)
    {
        EntityType? parsed = MapTypes.Cast<EntityType?>().FirstOrDefault(t => string.Equals(t.ToString(), type, StringComparison.OrdinalIgnoreCase));
        if (parsed is not { } entityType)
        {
            return ApiProblems.BadRequest(type is null ? $"type is required: one of {TypeNames}." : $"Unknown type '{type}'; use one of {TypeNames}.", "type");
        }

        bool attentionOnly = string.Equals(homeSensors, "attention", StringComparison.OrdinalIgnoreCase);
        if (homeSensors is not null && !attentionOnly && !string.Equals(homeSensors, "all", StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblems.BadRequest($"Unknown homeSensors '{homeSensors}'; use all or attention.", "homeSensors");
        }

        if (attentionOnly && entityType != EntityType.Sensor)
        {
            return ApiProblems.BadRequest("homeSensors applies to type=sensor only.", "homeSensors");
        }

        if (!directory.IsInitialized)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Starting", detail: "The twin has no district loaded yet.");
        }

        return new StreamedJson(GeoJson, body =>
        {
            using var w = new Utf8JsonWriter(body);
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartArray("features");
            foreach (EntitySummary s in directory.OfType(entityType))
            {
                if (attentionOnly && s.BuildingId is not null && string.Equals(s.Status, "normal", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                WriteFeature(w, s, directory, squares);
                if (w.BytesPending > 32 * 1024)
                {
                    w.Flush();
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void WriteFeature(Utf8JsonWriter w, EntitySummary s, TwinDirectory directory, CellSquareCache squares)
    {
        UtmProjection projection = directory.Projection;
        w.WriteStartObject();
        w.WriteString("type", "Feature");
        w.WriteString("id", s.Id);
        w.WritePropertyName("geometry");
        if (s.Type == EntityType.Cell)
        {
            GeoJsonWriter.WritePolygon(w, squares.Of(projection, s), Decimals);
        }
        else if (s.Shape is { Length: >= 3 } shape)
        {
            GeoJsonWriter.WritePolygon(w, shape, Decimals);
        }
        else
        {
            GeoJsonWriter.WritePoint(w, s.Position, Decimals);
        }

        w.WriteStartObject("properties");
        w.WriteString("id", s.Id);
        Optional(w, "kind", s.Kind);
        if (s.Type is EntityType.Area or EntityType.Gauge or EntityType.Station or EntityType.Geofence)
        {
            // Names of places only: a responder's name is personal data and stays behind GET /api/entities.
            Optional(w, "name", s.Name);
        }

        Optional(w, "status", s.Status);
        if (s.Value is { } v && double.IsFinite(v))
        {
            w.WriteNumber("value", v);
        }

        Optional(w, "unit", s.Unit);
        Optional(w, "parentId", s.ParentId);
        Optional(w, "buildingId", s.BuildingId);
        if (s.Properties?.TryGetValue("tier", out object? tier) == true && tier is string t)
        {
            w.WriteString("tier", t);
        }

        if (s.Type == EntityType.Building)
        {
            // The map draws a building's sensors through the building while they are normal (homeSensors=attention).
            w.WriteNumber("sensors", directory.Members("building", s.Id).Count);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static IResult Session(HttpContext context, IOptions<AuthOptions> options)
    {
        // The key middleware has already matched the key (constant-time) and knows its role and name.
        string? role = ApiCaller.Of(context)?.Role.ToString().ToLowerInvariant();
        return Results.Ok(new { role, keyKnown = role is not null, anonymousRead = options.Value.AllowAnonymousRead });
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
