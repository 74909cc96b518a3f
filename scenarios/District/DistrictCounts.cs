namespace CityTwin.Scenarios.District;

/// <summary>How many of each entity a generated district holds; <see cref="Grains"/> sums the grain-backed ones.</summary>
/// <param name="Buildings">Buildings.</param>
/// <param name="HomeSensors">Sensors installed in buildings.</param>
/// <param name="StreetSensors">Outdoor sensors.</param>
/// <param name="Cells">Raster cells.</param>
/// <param name="Areas">District, streets, communities and grids.</param>
/// <param name="Gauges">River gauges.</param>
/// <param name="Stations">Vehicle home bases.</param>
/// <param name="Vehicles">Vehicles.</param>
/// <param name="Responders">Grid workers.</param>
/// <param name="Geofences">Construction sites, disposal points and checkpoints.</param>
/// <param name="Grains">Buildings + sensors + cells + areas + gauges + vehicles + responders.</param>
public sealed record DistrictCounts(
    int Buildings,
    int HomeSensors,
    int StreetSensors,
    int Cells,
    int Areas,
    int Gauges,
    int Stations,
    int Vehicles,
    int Responders,
    int Geofences,
    long Grains);
