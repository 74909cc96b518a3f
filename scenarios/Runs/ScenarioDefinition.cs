namespace CityTwin.Scenarios.Runs;

/// <summary>
/// A validated scenario file (schema in docs/SCENARIOS.md): what to simulate, for how long, at which physics step and
/// reporting cadence, the kind's parameters and a timeline of injected events. Build with <see cref="ScenarioParser"/>.
/// </summary>
public sealed record ScenarioDefinition(string Name, string Title, ScenarioKind Kind, DateTimeOffset? Start, TimeSpan Duration, TimeSpan Step, TimeSpan ReportEvery)
{
    /// <summary>The storm (rainfall).</summary>
    public RainfallSpec? Rainfall { get; init; }

    /// <summary>The river stage (river-rise; optional with rainfall).</summary>
    public RiverSpec? River { get; init; }

    /// <summary>The gas release (gas-leak).</summary>
    public GasSpec? Gas { get; init; }

    /// <summary>The drill (drill).</summary>
    public DrillSpec? Drill { get; init; }

    /// <summary>Whether the open cases carried over from the live twin stay frozen in the fork (default) or run their SLA clocks.</summary>
    public LiveCaseMode LiveCases { get; init; }

    /// <summary>Injected events, in time order.</summary>
    public IReadOnlyList<TimelineEvent> Timeline { get; init; } = [];
}
