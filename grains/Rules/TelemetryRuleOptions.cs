namespace CityTwin.Grains.Rules;

/// <summary>
/// Thresholds and times of the telemetry rules of one silo (home alarms, welfare check, silence, battery, river gauges,
/// the periodic monitor). Register a configured instance with <c>ISiloBuilder.ConfigureServices</c> (before or after <c>AddTwin()</c>)
/// to change the defaults; grains fall back to <see cref="Default"/> when none is registered.
/// </summary>
public sealed class TelemetryRuleOptions
{
    /// <summary>The defaults, used when no instance is registered (immutable: every setting is init-only).</summary>
    public static TelemetryRuleOptions Default { get; } = new();

    /// <summary>A home sensor (one installed in a building) silent this long is offline. Default 2 h.</summary>
    public TimeSpan HomeSensorOfflineAfter { get; init; } = TimeSpan.FromHours(2);

    /// <summary>A street sensor silent this long is offline. Default 2 h.</summary>
    public TimeSpan StreetSensorOfflineAfter { get; init; } = TimeSpan.FromHours(2);

    /// <summary>No water drawn for this long in a home with an elderly resident raises a welfare check. Default 24 h.</summary>
    public TimeSpan WelfareInactivity { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Readings whose unit is this (case-insensitive) report the device's battery in percent rather than a measurement;
    /// they update health only, never the value or statistics. Default "battery%".
    /// </summary>
    public string BatteryUnit { get; init; } = "battery%";

    /// <summary>A battery below this percentage is low. Default 20.</summary>
    public double LowBatteryPercent { get; init; } = 20;

    /// <summary>How often the monitor scans the read model for silent sensors and welfare checks. Default 5 min.</summary>
    public TimeSpan MonitorPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The blue tier starts this far below a gauge's warning level, in metres. Default 0.5 m.</summary>
    public double GaugeNearWarningMarginM { get; init; } = 0.5;

    /// <summary>
    /// A tier is left only when the level falls this far below the tier's lower bound, in metres, so a level hovering at a
    /// boundary does not raise the same warning again and again. Default 0.05 m.
    /// </summary>
    public double GaugeHysteresisM { get; init; } = 0.05;

    /// <summary>A rise faster than this, in metres per hour over <see cref="RateOfRiseWindow"/>, raises a warning. Default 0.3 m/h.</summary>
    public double RateOfRiseMetresPerHour { get; init; } = 0.3;

    /// <summary>The window the rate of rise is measured over. Default 1 h.</summary>
    public TimeSpan RateOfRiseWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The shortest span of readings a rate of rise is judged on, so two close, noisy readings raise nothing. Default 15 min.</summary>
    public TimeSpan RateOfRiseMinSpan { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Throws when a setting is out of range (checked when the monitor activates).</summary>
    public void Validate()
    {
        Positive(HomeSensorOfflineAfter, nameof(HomeSensorOfflineAfter));
        Positive(StreetSensorOfflineAfter, nameof(StreetSensorOfflineAfter));
        Positive(WelfareInactivity, nameof(WelfareInactivity));
        Positive(MonitorPeriod, nameof(MonitorPeriod));
        Positive(RateOfRiseWindow, nameof(RateOfRiseWindow));
        if (RateOfRiseMinSpan <= TimeSpan.Zero || RateOfRiseMinSpan > RateOfRiseWindow)
        {
            throw new InvalidOperationException($"TelemetryRuleOptions.RateOfRiseMinSpan must be positive and at most RateOfRiseWindow (was {RateOfRiseMinSpan}).");
        }

        if (string.IsNullOrWhiteSpace(BatteryUnit))
        {
            throw new InvalidOperationException("TelemetryRuleOptions.BatteryUnit must not be empty.");
        }

        NonNegative(LowBatteryPercent, nameof(LowBatteryPercent));
        NonNegative(GaugeNearWarningMarginM, nameof(GaugeNearWarningMarginM));
        NonNegative(GaugeHysteresisM, nameof(GaugeHysteresisM));
        if (!double.IsFinite(RateOfRiseMetresPerHour) || RateOfRiseMetresPerHour <= 0)
        {
            throw new InvalidOperationException($"TelemetryRuleOptions.RateOfRiseMetresPerHour must be a positive number (was {RateOfRiseMetresPerHour}).");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"TelemetryRuleOptions.{name} must be positive (was {value}).");
        }
    }

    private static void NonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new InvalidOperationException($"TelemetryRuleOptions.{name} must be a number of at least 0 (was {value}).");
        }
    }
}
