namespace CityTwin.Scenarios.Drills;

/// <summary>
/// The times of one drill incident, detection -> alert -> dispatch -> first arrival -> resolution, the intervals in
/// seconds, and whether the first unit's travel met the target.
/// </summary>
public sealed record DrillIncidentResult(
    string Id, string Category, string BuildingId, DateTimeOffset DetectedAt, DateTimeOffset AlertedAt, string AlertSource, DateTimeOffset? DispatchedAt,
    DateTimeOffset? FirstArrivalAt, DateTimeOffset? ResolvedAt, double DetectionToAlertSeconds, double? AlertToDispatchSeconds,
    double? FirstUnitTravelSeconds, double? ResponseSeconds, bool MetTravelTarget, IReadOnlyList<DrillUnitResult> Units)
{
    /// <summary>The fork's case the incident's alert (or call-in) opened; its dispatch chose the units.</summary>
    public string? CaseId { get; init; }
}
