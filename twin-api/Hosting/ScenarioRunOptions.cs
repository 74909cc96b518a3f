using System.ComponentModel.DataAnnotations;

namespace CityTwin.TwinApi.Hosting;

/// <summary>Scenario runs on the server (the "Scenarios" configuration section), checked when the server starts.</summary>
public sealed class ScenarioRunOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Scenarios";

    /// <summary>Runs (each on a fork of the twin) that may execute at once; the rest queue.</summary>
    [Range(1, 64)]
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Finished runs kept for reading.</summary>
    [Range(0, 100_000)]
    public int KeepFinishedRuns { get; set; } = 100;

    /// <summary>Where saved snapshots (district files) for runs are looked up; unset: ./snapshots (read by the scenario endpoints).</summary>
    public string? SnapshotDirectory { get; set; }
}
