namespace CityTwin.Scenarios.Runs;

/// <summary>What a scenario simulates; named in files as kebab-case (<c>rainfall</c>, <c>gas-leak</c>, …).</summary>
public enum ScenarioKind
{
    /// <summary>A storm over the district: runoff, drainage, routing, gauges and warnings.</summary>
    Rainfall,

    /// <summary>The river rising at its gauges (a stage hydrograph), spilling over low ground.</summary>
    RiverRise,

    /// <summary>A gas release from a building: plume or puff, LEL and CO thresholds, evacuation.</summary>
    GasLeak,

    /// <summary>Incidents answered by responders and vehicles moving in simulated time, scored against targets.</summary>
    Drill,

    /// <summary>Only the timeline of injected events (readings, positions) and what the twin's rules make of them.</summary>
    EventChain,
}
