namespace CityTwin.Scenarios.Runs;

/// <summary>A run's progress as published on the "scenario-progress" stream (key = run id) and pushed to clients.</summary>
public sealed record ScenarioProgress(string RunId, string Name, ScenarioRunStatus Status, double Progress, DateTimeOffset? SimulatedTime, string? Message);
