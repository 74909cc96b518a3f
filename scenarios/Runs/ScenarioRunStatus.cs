namespace CityTwin.Scenarios.Runs;

/// <summary>Where a run is in its life.</summary>
public enum ScenarioRunStatus
{
    /// <summary>Accepted, waiting for a slot.</summary>
    Queued,

    /// <summary>Forked and advancing simulated time.</summary>
    Running,

    /// <summary>Finished; the result is complete.</summary>
    Completed,

    /// <summary>Stopped by an error (see the run's error).</summary>
    Failed,

    /// <summary>Stopped on request; the result holds what was computed so far.</summary>
    Cancelled,
}
