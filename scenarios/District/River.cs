using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>The river crossing the district, as a centreline from upstream to downstream.</summary>
/// <param name="Name">River name.</param>
/// <param name="WidthM">Channel width in metres.</param>
/// <param name="Centreline">Positions from upstream to downstream, WGS84, about 25 m apart.</param>
public sealed record River(string Name, double WidthM, GeoPoint[] Centreline);
