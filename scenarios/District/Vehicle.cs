using CityTwin.Grains.Model;
using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>A tracked vehicle at its starting position.</summary>
/// <param name="Id">Grain key, e.g. <c>patrol-1</c>, <c>muck-4</c>, <c>fire-2</c>, <c>ambulance-1</c>.</param>
/// <param name="Kind">Vehicle kind.</param>
/// <param name="Plate">Number plate.</param>
/// <param name="Position">Starting position, WGS84.</param>
/// <param name="HomeStationId">Station it returns to (see <see cref="District.Stations"/>).</param>
/// <param name="AssignedSiteId">Construction site a muck truck serves; null for other kinds.</param>
public sealed record Vehicle(string Id, VehicleKind Kind, string Plate, GeoPoint Position, string HomeStationId, string? AssignedSiteId);
