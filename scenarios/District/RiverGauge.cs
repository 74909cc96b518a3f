using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>
/// A water-level gauge on the river. Levels are water surface elevations in metres (same datum as cell
/// elevations); warning &lt; guaranteed (保证水位, the level the banks are built to hold).
/// </summary>
/// <param name="Id">Grain key, e.g. <c>gauge-1</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="Position">On the river centreline, WGS84.</param>
/// <param name="ChainageM">Distance along the river from its upstream end in the district, metres.</param>
/// <param name="CellIndex">Raster cell holding the gauge.</param>
/// <param name="BedElevationM">River bed elevation at the gauge.</param>
/// <param name="NormalLevelM">Typical water level.</param>
/// <param name="WarningLevelM">Warning level (警戒水位).</param>
/// <param name="GuaranteedLevelM">Guaranteed level (保证水位).</param>
/// <param name="HistoricMaxLevelM">Highest level on record.</param>
public sealed record RiverGauge(
    string Id,
    string Name,
    GeoPoint Position,
    double ChainageM,
    int CellIndex,
    double BedElevationM,
    double NormalLevelM,
    double WarningLevelM,
    double GuaranteedLevelM,
    double HistoricMaxLevelM);
