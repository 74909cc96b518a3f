using CityTwin.Grains.Model;
namespace CityTwin.Scenarios.District;

/// <summary>Unit and alert thresholds shared by all sensors of one kind.</summary>
/// <param name="Kind">Sensor kind.</param>
/// <param name="Unit">Unit of readings.</param>
/// <param name="Warning">Reading that raises a warning; null when the kind has none.</param>
/// <param name="Alarm">Reading that raises an alarm; null when the kind has none.</param>
/// <param name="AlarmWhenBelow">True when low readings are the hazard (air pressure).</param>
/// <param name="InactivityAlertHours">Hours without activity that raise a welfare alert (water meters); else null.</param>
/// <param name="ReportIntervalSeconds">Normal telemetry interval.</param>
public sealed record SensorProfile(
    SensorKind Kind,
    string Unit,
    double? Warning,
    double? Alarm,
    bool AlarmWhenBelow,
    double? InactivityAlertHours,
    int ReportIntervalSeconds);
