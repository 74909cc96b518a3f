namespace CityTwin.Scenarios.Forks;

/// <summary>A sensor of the live twin that was in alarm when the fork was made.</summary>
/// <param name="SensorId">Sensor id.</param>
/// <param name="Kind">Sensor kind.</param>
/// <param name="BuildingId">Its building, if any.</param>
/// <param name="Since">When its reading last changed (the alarm's reading or later).</param>
public sealed record CarriedAlarm(string SensorId, string? Kind, string? BuildingId, DateTimeOffset Since);
