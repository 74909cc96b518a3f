using CityTwin.Grains.Model;
using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>A muck-truck geofence: a polygon (sites, disposal points) or a point with a radius (checkpoints).</summary>
/// <param name="Id">Id, e.g. <c>site-1</c>, <c>disposal-1</c>, <c>checkpoint-1</c>.</param>
/// <param name="Kind">Geofence kind.</param>
/// <param name="Name">Display name.</param>
/// <param name="Centre">Centre, WGS84.</param>
/// <param name="Boundary">Closed ring for sites and disposal points; null for checkpoints.</param>
/// <param name="RadiusM">Radius in metres for checkpoints; 0 for polygons.</param>
public sealed record Geofence(string Id, GeofenceKind Kind, string Name, GeoPoint Centre, GeoPoint[]? Boundary, double RadiusM);
