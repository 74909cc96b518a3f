namespace CityTwin.TwinApi.Api.Models;

/// <summary>A WGS84 position as request bodies give it.</summary>
/// <param name="Lon">Longitude, -180..180.</param>
/// <param name="Lat">Latitude, -90..90.</param>
public sealed record LonLat(double Lon, double Lat);
