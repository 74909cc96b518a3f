using CityTwin.Grains.Model;
using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>A vehicle home base.</summary>
/// <param name="Id">Id, e.g. <c>police-1</c>, <c>fire-1</c>, <c>ambulance-1</c>, <c>depot-1</c>.</param>
/// <param name="Kind">Station kind.</param>
/// <param name="Name">Display name.</param>
/// <param name="Position">WGS84 position.</param>
/// <param name="BuildingId">Hospital building an ambulance station sits in, else null.</param>
public sealed record Station(string Id, StationKind Kind, string Name, GeoPoint Position, int? BuildingId);
