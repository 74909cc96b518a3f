using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>A geofence for muck trucks: a polygon when <see cref="Boundary"/> is set, otherwise a circle of <see cref="RadiusM"/>.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record GeofenceDefinition(string Id, GeofenceKind Kind, string Name, GeoPoint Centre, GeoPoint[]? Boundary, double RadiusM);
