using CityTwin.Grains.Model;
using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>
/// An administrative area: district, street, community or governance grid. Areas of one kind tile their
/// parent exactly. Ids are <c>district</c>, <c>street-3</c>, <c>community-3-2</c>, <c>grid-3-2-1</c>.
/// </summary>
/// <param name="Id">Stable id (1-based numbers).</param>
/// <param name="Kind">Level in the hierarchy.</param>
/// <param name="Name">Display name.</param>
/// <param name="ParentId">Id of the enclosing area; null for the district.</param>
/// <param name="Boundary">Closed exterior ring in WGS84 (first position repeated last).</param>
/// <param name="Staff">People responsible for the area.</param>
public sealed record Area(string Id, AreaKind Kind, string Name, string? ParentId, GeoPoint[] Boundary, Contact[] Staff);
