using CityTwin.Grains.Model;
using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>
/// One installed sensor. A struct so that a million-sensor district is one flat array; thresholds live per
/// kind in <see cref="District.SensorProfiles"/>.
/// </summary>
/// <param name="Id">Index in <see cref="District.Sensors"/>; grain key <c>sensor-{Id}</c>.</param>
/// <param name="Kind">What it measures.</param>
/// <param name="BuildingId">Building a home sensor is installed in; -1 for street sensors.</param>
/// <param name="Floor">Floor of a home sensor (1-based); 0 for street sensors.</param>
/// <param name="Position">WGS84 position.</param>
public readonly record struct Sensor(int Id, SensorKind Kind, int BuildingId, int Floor, GeoPoint Position);
