using CityTwin.Grains.Geo;

namespace CityTwin.Grains.Model;

/// <summary>The static description of an area (district, street, community or grid) that initialises its grain.</summary>
public sealed record AreaDefinition(string Id, AreaKind Kind, string Name, string? ParentId, GeoPoint[] Boundary, Contact[] Staff);
