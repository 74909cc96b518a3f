using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>The static description of an area (district, street, community or grid) that initialises its grain.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record AreaDefinition(string Id, AreaKind Kind, string Name, string? ParentId, GeoPoint[] Boundary, Contact[] Staff);
