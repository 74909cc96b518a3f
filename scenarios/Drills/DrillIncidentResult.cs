namespace CityTwin.Scenarios.Drills;

/// <summary>
/// The times of one drill incident, detection -> alert -> dispatch -> first arrival -> resolution, the intervals in
/// seconds, and whether it met its target: the first unit travelled within the target and every unit the drill asks for
/// was sent (<see cref="MissedBecause"/> says why not).
/// </summary>
public sealed record DrillIncidentResult(
    string Id, string Category, string BuildingId, DateTimeOffset DetectedAt, DateTimeOffset AlertedAt, string AlertSource, DateTimeOffset? DispatchedAt,
    DateTimeOffset? FirstArrivalAt, DateTimeOffset? ResolvedAt, double DetectionToAlertSeconds, double? AlertToDispatchSeconds,
    double? FirstUnitTravelSeconds, double? ResponseSeconds, bool MetTravelTarget, IReadOnlyList<DrillUnitResult> Units)
{
    /// <summary>The fork's case the incident's alert (or call-in) opened; its dispatch chose the units.</summary>
    public string? CaseId { get; init; }

    /// <summary>Unit kinds the drill asks for that the case did not send.</summary>
    public IReadOnlyList<string> MissingUnits { get; init; } = [];

    /// <summary>Why the incident missed its target, in words; null when it met it.</summary>
    public string? MissedBecause { get; init; }
}
