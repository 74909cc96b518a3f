using CityTwin.Grains.Model;

namespace CityTwin.Grains.Rules;

/// <summary>
/// The home-alarm rule: gas, smoke and CO detectors and SOS buttons alarm when a reading reaches the sensor's alarm
/// point (<see cref="SensorDefinition.AlarmAbove"/>). "Reaches" (at or above) because that is how detector alarm points
/// are specified (GB 15322.2, EN 50291) and how a pressed SOS button reports (1).
/// </summary>
public static class HazardRule
{
    /// <summary>The alarm point of an SOS button when its definition names none: 1 = pressed.</summary>
    public const double SosPressed = 1;

    /// <summary>True for the kinds that raise alarms at once (gas, smoke, CO, SOS).</summary>
    public static bool IsHazardKind(SensorKind kind) =>
        kind is SensorKind.Gas or SensorKind.Smoke or SensorKind.CarbonMonoxide or SensorKind.SosButton;

    /// <summary>The alarm point of a hazard sensor, or null when it has none (then it never alarms).</summary>
    public static double? AlarmPoint(SensorKind kind, double? alarmAbove) =>
        !IsHazardKind(kind) ? null : alarmAbove ?? (kind == SensorKind.SosButton ? SosPressed : null);

    /// <summary>True when <paramref name="value"/> is an alarm reading for a sensor with this alarm point.</summary>
    public static bool IsAlarm(double value, double? alarmPoint) => alarmPoint is { } p && value >= p;

    /// <summary>The alert kind of a hazard ("gas", "smoke", "carbonMonoxide", "sos").</summary>
    public static string AlertKind(SensorKind kind) => kind switch
    {
        SensorKind.Gas => AlertKinds.Gas,
        SensorKind.Smoke => AlertKinds.Smoke,
        SensorKind.CarbonMonoxide => AlertKinds.CarbonMonoxide,
        SensorKind.SosButton => AlertKinds.Sos,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a hazard sensor kind."),
    };
}
