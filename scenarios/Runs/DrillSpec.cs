namespace CityTwin.Scenarios.Runs;

/// <summary>
/// Drill settings: unit speeds, the straight-line-to-road factor, how long dispatch and on-scene work take, the targets
/// scored (NFPA 1710 defaults: first unit travel 240 s for 90 % of incidents) and the incidents.
/// </summary>
public sealed record DrillSpec(
    double ResponderSpeedKmh,
    double VehicleSpeedKmh,
    double NetworkFactor,
    TimeSpan DispatchDelay,
    TimeSpan OnScene,
    double TargetTravelSeconds,
    double TargetShare,
    IReadOnlyList<DrillIncidentSpec> Incidents);
