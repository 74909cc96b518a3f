using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>A vehicle: kind, plate, starting position, home station and (for muck trucks) the site it serves.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record VehicleDefinition(string Id, VehicleKind Kind, string Plate, GeoPoint Position, string HomeStationId, string? AssignedSiteId);
