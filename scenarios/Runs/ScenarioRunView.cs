namespace CityTwin.Scenarios.Runs;

/// <summary>
/// A run as the API shows it: status (queued, running, completed, failed, cancelled), progress 0..1, simulated time,
/// real times, an error, and the result once the run is no longer running.
/// </summary>
public sealed record ScenarioRunView(
    string Id, string Name, string Kind, string Status, double Progress, DateTimeOffset? SimulatedTime, DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error, ScenarioResult? Result)
{
    /// <summary>Real seconds from starting the run to its fork being ready (checkpoint, copy, silo start, restore); null before.</summary>
    public double? ForkSeconds { get; init; }
}
