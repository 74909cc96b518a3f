namespace CityTwin.Grains.Rules;

/// <summary>Sensor health: silence (offline) and battery. A sensor that never reported is not judged silent.</summary>
public static class SensorHealthRule
{
    /// <summary>True when a sensor last heard at <paramref name="lastHeardAt"/> has been silent longer than <paramref name="limit"/>.</summary>
    public static bool IsSilent(DateTimeOffset? lastHeardAt, DateTimeOffset now, TimeSpan limit) =>
        lastHeardAt is { } heard && now - heard > limit;

    /// <summary>True when a reading with this unit is a battery report (see <see cref="TelemetryRuleOptions.BatteryUnit"/>).</summary>
    public static bool IsBatteryReading(string? unit, TelemetryRuleOptions options) =>
        unit is not null && string.Equals(unit, options.BatteryUnit, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when a battery percentage is below the low mark.</summary>
    public static bool IsLowBattery(double percent, TelemetryRuleOptions options) => percent < options.LowBatteryPercent;

    /// <summary>The silence limit of a sensor: home sensors (in a building) and street sensors have their own.</summary>
    public static TimeSpan OfflineLimit(bool inBuilding, TelemetryRuleOptions options) =>
        inBuilding ? options.HomeSensorOfflineAfter : options.StreetSensorOfflineAfter;
}
