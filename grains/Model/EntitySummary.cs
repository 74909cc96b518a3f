using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>
/// The queryable face of one entity, kept current by its grain inside the turn that changed it, so a query right after
/// a change sees it. Filters (`q=status==alarm;kind==gas`) work on these fields and on <see cref="Properties"/>.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record EntitySummary(
    string Id,
    EntityType Type,
    string? Kind,
    string? Name,
    string? Status,
    GeoPoint Position,
    DateTimeOffset UpdatedAt)
{
    /// <summary>A polygon (buildings, areas, geofences), in lon/lat; null for points.</summary>
    public GeoPoint[]? Shape { get; init; }

    /// <summary>The building a sensor is installed in.</summary>
    public string? BuildingId { get; init; }

    /// <summary>The governance grid the entity lies in.</summary>
    public string? GridId { get; init; }

    /// <summary>The community the entity lies in.</summary>
    public string? CommunityId { get; init; }

    /// <summary>The street (sub-district) the entity lies in.</summary>
    public string? StreetId { get; init; }

    /// <summary>The raster cell the entity lies in.</summary>
    public string? CellId { get; init; }

    /// <summary>The parent area (areas only).</summary>
    public string? ParentId { get; init; }

    /// <summary>The latest measurement (sensors, gauges).</summary>
    public double? Value { get; init; }

    /// <summary>The unit of <see cref="Value"/>.</summary>
    public string? Unit { get; init; }

    /// <summary>Type-specific extras (floors, occupants, elderly, plate, tier, …), string or number values.</summary>
    public IReadOnlyDictionary<string, object>? Properties { get; init; }
}
