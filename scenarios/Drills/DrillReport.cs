namespace CityTwin.Scenarios.Drills;

/// <summary>
/// A drill's score: every incident's times and the share of incidents whose first unit travelled within the target
/// (NFPA 1710: 240 s for 90 % of incidents), with the median and 90th percentile first-unit travel time.
/// </summary>
public sealed record DrillReport(
    double TargetTravelSeconds, double TargetShare, int Incidents, int MetTarget, double ShareMeetingTarget, bool TargetMet,
    double? MedianFirstUnitTravelSeconds, double? P90FirstUnitTravelSeconds, double? MedianResponseSeconds, IReadOnlyList<DrillIncidentResult> Results);
