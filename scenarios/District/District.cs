using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>
/// A generated district as plain serialisable data: terrain raster, river and gauges, administrative
/// areas, buildings, sensors, vehicles, responders and muck-truck geofences. Positions are WGS84 [lon, lat].
/// </summary>
/// <param name="FormatVersion">File format version; see <see cref="CurrentFormatVersion"/>.</param>
/// <param name="Name">Display name.</param>
/// <param name="Options">Options it was generated from.</param>
/// <param name="Counts">Entity counts.</param>
/// <param name="Centre">Centre, WGS84.</param>
/// <param name="UtmZone">UTM zone used for metric work.</param>
/// <param name="UtmNorth">True in the northern hemisphere.</param>
/// <param name="Bounds">Closed ring of the district square (a square in UTM), WGS84.</param>
/// <param name="Box">Lon/lat envelope of <paramref name="Bounds"/>; every position lies inside it.</param>
/// <param name="Cells">Terrain and drainage raster.</param>
/// <param name="River">The river crossing the district.</param>
/// <param name="Gauges">Water-level gauges on the river.</param>
/// <param name="Areas">District, then streets, communities and grids, parents before children.</param>
/// <param name="Buildings">Buildings; index = id.</param>
/// <param name="SensorProfiles">Units and thresholds per sensor kind.</param>
/// <param name="Sensors">Home sensors (grouped by building) then street sensors; index = id.</param>
/// <param name="Stations">Vehicle home bases.</param>
/// <param name="Vehicles">Vehicles.</param>
/// <param name="Responders">Grid workers.</param>
/// <param name="Geofences">Construction sites, disposal points and checkpoints.</param>
public sealed record District(
    int FormatVersion,
    string Name,
    DistrictOptions Options,
    DistrictCounts Counts,
    GeoPoint Centre,
    int UtmZone,
    bool UtmNorth,
    GeoPoint[] Bounds,
    GeoBox Box,
    CellGrid Cells,
    River River,
    RiverGauge[] Gauges,
    Area[] Areas,
    Building[] Buildings,
    SensorProfile[] SensorProfiles,
    Sensor[] Sensors,
    Station[] Stations,
    Vehicle[] Vehicles,
    Responder[] Responders,
    Geofence[] Geofences)
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Creates the UTM projection the district's metric data (cells, distances) is expressed in.</summary>
    public UtmProjection CreateProjection() => new(UtmZone, UtmNorth);
}
