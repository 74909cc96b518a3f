namespace CityTwin.Scenarios.Drills;

/// <summary>One unit sent to a drill incident: how far it travelled (road distance estimate), how long, when it arrived.</summary>
public sealed record DrillUnitResult(string UnitId, string Kind, double DistanceM, double TravelSeconds, DateTimeOffset DispatchedAt, DateTimeOffset ArrivedAt);
