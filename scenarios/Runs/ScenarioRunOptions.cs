namespace CityTwin.Scenarios.Runs;

/// <summary>
/// Budgets of scenario runs, replays and drills, bound from the <c>Scenarios</c> configuration section. Parameters are
/// checked against them before a run is accepted, so one request can neither hold the machine's memory nor run forever.
/// </summary>
public sealed class ScenarioRunOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Scenarios";

    /// <summary>Where saved snapshots (district files) for runs are looked up; unset: ./snapshots (read by the scenario endpoints).</summary>
    public string? SnapshotDirectory { get; set; }

    /// <summary>Runs that may execute at once. Default 2.</summary>
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Accepted runs that may wait for a free slot; beyond it a new run is refused (429 with Retry-After). Default 8.</summary>
    public int MaxQueuedRuns { get; set; } = 8;

    /// <summary>Finished runs kept for reading. Default 100.</summary>
    public int KeepFinishedRuns { get; set; } = 100;

    /// <summary>Real time one run may take from leaving the queue (forking included); past it the run fails. Default 30 min.</summary>
    public TimeSpan MaxRunTime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Real time a running run may go without reporting progress before it fails as stalled. Default 5 min.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a stopping server waits for its runs to end and release their forks before it stops without them. Default 10 s.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest simulated duration of a scenario (and longest delay or storm inside one). Default 7 days.</summary>
    public TimeSpan MaxSimulatedDuration { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Most rainfall blocks a storm may have (its duration / interval, or its explicit blocks). Default 10,000.</summary>
    public int MaxRainfallBlocks { get; set; } = 10_000;

    /// <summary>Most items in any list of a scenario file (timeline events, drill incidents, river stage points). Default 10,000.</summary>
    public int MaxListItems { get; set; } = 10_000;

    /// <summary>Longest recorded range one replay covers. Default 31 days.</summary>
    public TimeSpan MaxReplayRange { get; set; } = TimeSpan.FromDays(31);

    /// <summary>Most recorded inputs one replay loads; a range holding more fails with a message to replay a shorter one. Default 1,000,000.</summary>
    public int MaxReplayInputs { get; set; } = 1_000_000;

    /// <summary>Throws with the setting's name when a value is out of range.</summary>
    public void Validate()
    {
        Require(MaxConcurrentRuns is >= 1 and <= 64, "MaxConcurrentRuns", MaxConcurrentRuns, "from 1 to 64");
        Require(MaxQueuedRuns is >= 0 and <= 10_000, "MaxQueuedRuns", MaxQueuedRuns, "from 0 to 10000");
        Require(KeepFinishedRuns is >= 0 and <= 100_000, "KeepFinishedRuns", KeepFinishedRuns, "from 0 to 100000");
        Require(MaxRunTime >= TimeSpan.FromSeconds(1) && MaxRunTime <= TimeSpan.FromDays(7), "MaxRunTime", MaxRunTime, "from 00:00:01 to 7.00:00:00");
        Require(StallTimeout >= TimeSpan.FromSeconds(1) && StallTimeout <= MaxRunTime, "StallTimeout", StallTimeout, "from 00:00:01 to Scenarios:MaxRunTime");
        Require(StopTimeout >= TimeSpan.Zero && StopTimeout <= TimeSpan.FromMinutes(10), "StopTimeout", StopTimeout, "from 00:00:00 to 00:10:00");
        Require(MaxSimulatedDuration >= TimeSpan.FromMinutes(1) && MaxSimulatedDuration <= TimeSpan.FromDays(366), "MaxSimulatedDuration", MaxSimulatedDuration, "from 00:01:00 to 366.00:00:00");
        Require(MaxRainfallBlocks is >= 1 and <= 1_000_000, "MaxRainfallBlocks", MaxRainfallBlocks, "from 1 to 1000000");
        Require(MaxListItems is >= 1 and <= 1_000_000, "MaxListItems", MaxListItems, "from 1 to 1000000");
        Require(MaxReplayRange >= TimeSpan.FromMinutes(1) && MaxReplayRange <= TimeSpan.FromDays(366), "MaxReplayRange", MaxReplayRange, "from 00:01:00 to 366.00:00:00");
        Require(MaxReplayInputs is >= 1 and <= 100_000_000, "MaxReplayInputs", MaxReplayInputs, "from 1 to 100000000");
    }

    private static void Require(bool ok, string name, object value, string range)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{Section}:{name} is {value}; it must be {range}.");
        }
    }
}
