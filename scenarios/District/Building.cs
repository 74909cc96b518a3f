using CityTwin.Grains.Model;
using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>
/// A building with its footprint, occupancy and area membership. Its home sensors are the contiguous run
/// <c>Sensors[FirstSensorId .. FirstSensorId + SensorCount)</c> of <see cref="District.Sensors"/>.
/// </summary>
/// <param name="Id">Index in <see cref="District.Buildings"/>; grain key <c>building-{Id}</c>.</param>
/// <param name="Use">Main use.</param>
/// <param name="Floors">Storeys above ground.</param>
/// <param name="Centroid">Footprint centre, WGS84.</param>
/// <param name="Footprint">Closed rectangle ring, WGS84 (sides aligned with the UTM grid).</param>
/// <param name="Households">Dwellings (residential buildings only, else 0).</param>
/// <param name="Occupants">People normally present (residents, or daytime occupants for other uses).</param>
/// <param name="Elderly">Occupants aged 60 or over.</param>
/// <param name="GridId">Governance grid holding the footprint.</param>
/// <param name="CommunityId">Community holding the grid.</param>
/// <param name="StreetId">Street holding the community.</param>
/// <param name="CellIndex">Index of the raster cell holding the centroid in <see cref="District.Cells"/>.</param>
/// <param name="Contacts">Property manager, and family contacts where elderly people live.</param>
/// <param name="FirstSensorId">Id of the building's first home sensor.</param>
/// <param name="SensorCount">Number of home sensors.</param>
public sealed record Building(
    int Id,
    BuildingUse Use,
    int Floors,
    GeoPoint Centroid,
    GeoPoint[] Footprint,
    int Households,
    int Occupants,
    int Elderly,
    string GridId,
    string CommunityId,
    string StreetId,
    int CellIndex,
    Contact[] Contacts,
    int FirstSensorId,
    int SensorCount);
