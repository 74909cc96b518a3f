using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>A river gauge with its reference levels in metres above datum (warning, guaranteed, historic maximum).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record GaugeDefinition(
    string Id, string Name, GeoPoint Position, string? CellId, string? GridId, string? CommunityId, string? StreetId,
    double BedElevationM, double NormalLevelM, double WarningLevelM, double GuaranteedLevelM, double HistoricMaxLevelM);
