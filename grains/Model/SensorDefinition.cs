using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>
/// A sensor: kind, place and alarm threshold. <see cref="AlarmAbove"/> is in <see cref="Unit"/> (e.g. %LEL for gas, ppm for
/// CO, 1 for a pressed SOS button); null for sensors that report measurements only.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record SensorDefinition(
    string Id, SensorKind Kind, string? BuildingId, int Floor, GeoPoint Position, string? GridId, string? CommunityId,
    string? StreetId, string? CellId, string Unit, double? AlarmAbove);
