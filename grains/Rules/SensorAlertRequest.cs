using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using Orleans;

namespace CityTwin.Grains.Rules;

/// <summary>
/// A sensor asking its building to raise an alert: the building adds its contacts and the staff of
/// <see cref="Audience"/>, publishes it, and (when <see cref="SetsAlarm"/>) enters its alarm state.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record SensorAlertRequest(
    string SensorId,
    SensorKind SensorKind,
    string Kind,
    AlertSeverity Severity,
    string Message,
    GeoPoint Position,
    DateTimeOffset At,
    AlertAudience Audience,
    bool SetsAlarm,
    IReadOnlyDictionary<string, string>? Details = null);
