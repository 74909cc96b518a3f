namespace CityTwin.TwinApi.Api.Models;

/// <summary>One item of the body of POST /api/vehicles/positions.</summary>
/// <param name="VehicleId">The vehicle.</param>
/// <param name="Lon">Longitude, -180..180.</param>
/// <param name="Lat">Latitude, -90..90.</param>
/// <param name="At">When the fix was taken.</param>
/// <param name="SpeedKmh">Speed, km/h.</param>
/// <param name="Covered">Whether a muck truck's load is covered.</param>
/// <param name="LoadTonnes">A muck truck's load, tonnes.</param>
public sealed record VehiclePositionBody(string VehicleId, double Lon, double Lat, DateTimeOffset At, double? SpeedKmh = null, bool? Covered = null, double? LoadTonnes = null);
