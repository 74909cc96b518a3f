namespace CityTwin.Scenarios.Runs;

/// <summary>
/// One incident of a drill: at <paramref name="At"/>, a sensor of <paramref name="SensorKind"/> in
/// <paramref name="Building"/> (an id or selector) reads <paramref name="Value"/>; <paramref name="Units"/> units of the
/// given kinds (responder, fire-engine, ambulance, patrol-car) answer.
/// </summary>
public sealed record DrillIncidentSpec(string Id, TimeSpan At, string Building, string SensorKind, double Value, string Category, IReadOnlyList<string> Units);
