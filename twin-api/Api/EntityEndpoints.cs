using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using NetTopologySuite.Geometries;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// Queries over the live twin: GET /api/entities (spatial + attribute filters, paged GeoJSON), GET /api/entities/{type}/{id}
/// (an entity with its state and relationships) and GET /api/areas (the governance hierarchy). Answers come from the
/// read model that grains update inside their turns, so they reflect every acknowledged change.
/// </summary>
public static class EntityEndpoints
{
    private const string GeoJson = "application/geo+json";
    private const double MaxRadiusM = 50_000;
    private static readonly string TypeNames = string.Join(", ", Enum.GetNames<EntityType>().Where(n => n != nameof(EntityType.Case)).Select(n => n.ToLowerInvariant()));
    private static readonly GeometryFactory Factory = new();
    private static readonly string[] LowerTypeNames = Enum.GetValues<EntityType>().Select(t => t.ToString().ToLowerInvariant()).ToArray();

    /// <summary>Maps the entity and area query endpoints.</summary>
    public static IEndpointRouteBuilder MapEntityEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/entities", Query).WithName("QueryEntities")
            .WithSummary("Entities as a GeoJSON FeatureCollection, filtered by type, one of bbox / near+radius / within, and q (attribute filters), paged.");
        app.MapGet("/api/entities/{type}/{id}", GetEntity).WithName("GetEntity")
            .WithSummary("One entity as a GeoJSON Feature with its full state and relationships.");
        app.MapGet("/api/areas", GetAreas).WithName("GetAreas").WithSummary("The area hierarchy: district -> streets -> communities -> grids.");
        return app;
    }

    private static IResult Query(TwinDirectory directory, string? type, string? bbox, string? near, double? radius, string? within, string? q, int? page, int? pageSize)
    {
        EntityType? entityType = null;
        if (type is not null)
        {
            if (!TryParseType(type, out EntityType t))
            {
                return ApiProblems.BadRequest($"Unknown type '{type}'; use one of {TypeNames}.", "type");
            }

            entityType = t;
        }

        int spatial = (bbox is null ? 0 : 1) + (near is null ? 0 : 1) + (within is null ? 0 : 1);
        if (spatial > 1)
        {
            return ApiProblems.BadRequest("Use at most one of bbox, near and within.", "bbox");
        }

        int p = page ?? 1, size = pageSize ?? 100;
        if (p < 1)
        {
            return ApiProblems.BadRequest("page starts at 1.", "page");
        }

        if (size is < 1 or > 1000)
        {
            return ApiProblems.BadRequest("pageSize must be between 1 and 1000.", "pageSize");
        }

        (List<AttributeFilter> filters, string? filterError) = AttributeFilter.Parse(q);
        if (filterError is not null)
        {
            return ApiProblems.BadRequest(filterError, "q");
        }

        EntityType[] types = entityType is { } only ? [only] : Enum.GetValues<EntityType>().Where(t => t != EntityType.Case).ToArray();
        GeoBox? box = null;
        GeoPoint? centre = null;
        Polygon? polygon = null;
        if (bbox is not null)
        {
            if (!TryParseBox(bbox, out GeoBox b, out string? error))
            {
                return ApiProblems.BadRequest(error!, "bbox");
            }

            box = b;
        }
        else if (near is not null)
        {
            if (!TryParsePoint(near, out GeoPoint c, out string? error))
            {
                return ApiProblems.BadRequest(error!, "near");
            }

            if (radius is not { } r || !double.IsFinite(r) || r <= 0 || r > MaxRadiusM)
            {
                return ApiProblems.BadRequest($"near needs radius in metres, greater than 0 and at most {MaxRadiusM}.", "radius");
            }

            centre = c;
        }
        else if (within is not null)
        {
            if (directory.Get(EntityType.Area, within) is not { Shape: { Length: >= 3 } shape })
            {
                return ApiProblems.NotFound($"No area '{within}'. GET /api/areas lists them.");
            }

            polygon = Polygon(shape);
        }

        var query = new EntityQuery(types, box, centre, radius ?? 0, polygon, filters, p, size);
        return new StreamedJson(GeoJson, body => query.WriteTo(directory, body));
    }

    private static async Task<IResult> GetEntity(HttpContext context, TwinDirectory directory, IGrainFactory grains, string type, string id)
    {
        if (!TryParseType(type, out EntityType entityType))
        {
            return ApiProblems.BadRequest($"Unknown type '{type}'; use one of {TypeNames}.", "type");
        }

        if (directory.Get(entityType, id) is not { } summary)
        {
            return ApiProblems.NotFound($"No {entityType.ToString().ToLowerInvariant()} with id '{id}'.");
        }

        IGrainFactory f = grains;
        EntityDetails? details = entityType switch
        {
            EntityType.Area => await f.GetGrain<IAreaGrain>(id).GetDetailsAsync(),
            EntityType.Cell => await f.GetGrain<ICellGrain>(id).GetDetailsAsync(),
            EntityType.Building => await f.GetGrain<IBuildingGrain>(id).GetDetailsAsync(),
            EntityType.Sensor => await f.GetGrain<ISensorGrain>(id).GetDetailsAsync(),
            EntityType.Gauge => await f.GetGrain<IGaugeGrain>(id).GetDetailsAsync(),
            EntityType.Vehicle => await f.GetGrain<IVehicleGrain>(id).GetDetailsAsync(),
            EntityType.Responder => await f.GetGrain<IResponderGrain>(id).GetDetailsAsync(),
            _ => null,
        };

        var relationships = new Dictionary<string, IReadOnlyCollection<string>>();
        switch (entityType)
        {
            case EntityType.Building:
                relationships["sensors"] = Sorted(directory.Members("building", id));
                break;
            case EntityType.Cell:
                relationships["contents"] = Sorted(directory.Members("cell", id));
                break;
            case EntityType.Area:
                relationships["children"] = Sorted(directory.Members("parent", id));
                break;
        }

        foreach ((string name, string? target) in new[] { ("building", summary.BuildingId), ("cell", summary.CellId), ("grid", summary.GridId), ("community", summary.CommunityId), ("street", summary.StreetId), ("parent", summary.ParentId) })
        {
            if (target is not null)
            {
                relationships[name] = [target];
            }
        }

        return new StreamedJson(GeoJson, body =>
        {
            using var w = new Utf8JsonWriter(body);
            WriteFeature(w, details?.Summary ?? summary, null, (PersonalData.ForState(context, entityType, details?.StateJson), relationships));
        });
    }

    private static IResult GetAreas(TwinDirectory directory)
    {
        EntitySummary[] areas = directory.OfType(EntityType.Area).OrderBy(a => a.Id, StringComparer.Ordinal).ToArray();
        ILookup<string?, EntitySummary> byParent = areas.ToLookup(a => a.ParentId);
        object Node(EntitySummary a) => new
        {
            id = a.Id,
            kind = a.Kind,
            name = a.Name,
            children = byParent[a.Id].Select(Node).ToArray(),
        };
        return Results.Ok(new { areas = byParent[null].Select(Node).ToArray() });
    }

    private static string[] Sorted(IReadOnlyCollection<string> ids) => [.. ids.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Writes one entity as a GeoJSON Feature: its summary fields as properties, the distance for radius queries, and
    /// details when given (relationships, and the grain's state as the JSON text it sent).
    /// </summary>
    internal static void WriteFeature(Utf8JsonWriter w, EntitySummary s, double? distance, (string? StateJson, Dictionary<string, IReadOnlyCollection<string>> Relationships)? details)
    {
        w.WriteStartObject();
        w.WriteString("type", "Feature");
        w.WriteString("id", s.Id);
        w.WritePropertyName("geometry");
        if (s.Shape is { Length: >= 3 } shape)
        {
            GeoJsonWriter.WritePolygon(w, shape);
        }
        else
        {
            GeoJsonWriter.WritePoint(w, s.Position);
        }

        w.WriteStartObject("properties");
        w.WriteString("id", s.Id);
        w.WriteString("type", TypeName(s.Type));
        WriteOptional(w, "kind", s.Kind);
        WriteOptional(w, "name", s.Name);
        WriteOptional(w, "status", s.Status);
        if (s.Value is { } v)
        {
            w.WriteNumber("value", v);
        }

        WriteOptional(w, "unit", s.Unit);
        w.WriteString("updatedAt", s.UpdatedAt);
        WriteOptional(w, "buildingId", s.BuildingId);
        WriteOptional(w, "gridId", s.GridId);
        WriteOptional(w, "communityId", s.CommunityId);
        WriteOptional(w, "streetId", s.StreetId);
        WriteOptional(w, "cellId", s.CellId);
        WriteOptional(w, "parentId", s.ParentId);
        w.WritePropertyName("position");
        GeoJsonWriter.WritePosition(w, s.Position);
        if (distance is { } d)
        {
            w.WriteNumber("distanceM", Math.Round(d, 2));
        }

        if (s.Properties is { } props)
        {
            foreach ((string key, object value) in props)
            {
                w.WritePropertyName(char.IsUpper(key[0]) ? JsonNamingPolicy.CamelCase.ConvertName(key) : key);

                // The common value types directly: the serializer's per-value lookup was a good part of a page's cost.
                switch (value)
                {
                    case string text:
                        w.WriteStringValue(text);
                        break;
                    case int number:
                        w.WriteNumberValue(number);
                        break;
                    case long number:
                        w.WriteNumberValue(number);
                        break;
                    case double number when double.IsFinite(number):
                        w.WriteNumberValue(number);
                        break;
                    case bool flag:
                        w.WriteBooleanValue(flag);
                        break;
                    default:
                        JsonSerializer.Serialize(w, value, value.GetType(), TwinJson.Options);
                        break;
                }
            }
        }

        if (details is { } d2)
        {
            w.WritePropertyName("relationships");
            JsonSerializer.Serialize(w, d2.Relationships, TwinJson.Options);
            if (d2.StateJson is { } state)
            {
                // The grain serialised its state inside its turn (TwinJson); it is copied into the feature as it is.
                w.WritePropertyName("state");
                w.WriteRawValue(state);
            }
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static string TypeName(EntityType type) => (int)type < LowerTypeNames.Length ? LowerTypeNames[(int)type] : type.ToString().ToLowerInvariant();

    private static bool TryParseType(string text, out EntityType type) =>
        Enum.TryParse(text, ignoreCase: true, out type) && Enum.IsDefined(type) && type != EntityType.Case && !int.TryParse(text, out _);

    /// <summary>Parses "lon,lat" with range checks.</summary>
    internal static bool TryParsePoint(string text, out GeoPoint point, out string? error)
    {
        point = default;
        string[] parts = text.Split(',');
        if (parts.Length != 2 || !TryCoordinate(parts[0], -180, 180, out double lon) || !TryCoordinate(parts[1], -90, 90, out double lat))
        {
            error = $"'{text}' is not lon,lat with lon in -180..180 and lat in -90..90.";
            return false;
        }

        point = new GeoPoint(lon, lat);
        error = null;
        return true;
    }

    private static bool TryParseBox(string text, out GeoBox box, out string? error)
    {
        box = default;
        string[] parts = text.Split(',');
        if (parts.Length != 4 || !TryCoordinate(parts[0], -180, 180, out double minLon) || !TryCoordinate(parts[1], -90, 90, out double minLat)
            || !TryCoordinate(parts[2], -180, 180, out double maxLon) || !TryCoordinate(parts[3], -90, 90, out double maxLat))
        {
            error = $"'{text}' is not minLon,minLat,maxLon,maxLat with lon in -180..180 and lat in -90..90.";
            return false;
        }

        if (minLon > maxLon || minLat > maxLat)
        {
            error = "bbox minimums must not exceed its maximums.";
            return false;
        }

        box = new GeoBox(minLon, minLat, maxLon, maxLat);
        error = null;
        return true;
    }

    private static bool TryCoordinate(string text, double min, double max, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value >= min && value <= max;

    private static Polygon Polygon(GeoPoint[] ring)
    {
        var coords = ring.Select(p => new Coordinate(p.Lon, p.Lat)).ToList();
        if (!coords[0].Equals2D(coords[^1]))
        {
            coords.Add(coords[0]);
        }

        return Factory.CreatePolygon([.. coords]);
    }
}
