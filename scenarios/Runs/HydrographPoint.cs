namespace CityTwin.Scenarios.Runs;

/// <summary>One instant of a hydrograph: the flow and, at a gauge, the stage (water level above datum) it reads.</summary>
public sealed record HydrographPoint(DateTimeOffset At, double FlowM3s, double? LevelM);
