using System.Text.Json.Nodes;
using CityTwin.Scenarios.Drills;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Models;
using CityTwin.Scenarios.Replay;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// What a run found: GeoJSON layers (max water depth per cell, gas concentration per cell and building), a timeline of
/// events and warnings the scenario caused, impacted entities (buildings at risk, the evacuation list, what is cut off),
/// figures, the drill or replay report, and apart from all that what the fork carried over from the live twin. A
/// cancelled run returns what was computed until then.
/// </summary>
public sealed class ScenarioResult
{
    /// <summary>Scenario name.</summary>
    public required string Name { get; init; }

    /// <summary>Scenario kind, as in files (kebab-case).</summary>
    public required string Kind { get; init; }

    /// <summary>Simulated start.</summary>
    public DateTimeOffset SimulatedStart { get; set; }

    /// <summary>Simulated time reached.</summary>
    public DateTimeOffset SimulatedEnd { get; set; }

    /// <summary>Figures (totals, peaks, counts), by name.</summary>
    public Dictionary<string, double> Figures { get; } = [];

    /// <summary>GeoJSON FeatureCollections by layer name (<c>maxWaterDepth</c>, <c>gasConcentration</c>, <c>buildingGas</c>).</summary>
    public Dictionary<string, JsonObject> Layers { get; } = [];

    /// <summary>Events, warnings and milestones in time order.</summary>
    public List<TimelineEntry> Timeline { get; } = [];

    /// <summary>Buildings reached by flood water.</summary>
    public List<BuildingRisk> BuildingsAtRisk { get; } = [];

    /// <summary>Evacuation list, highest risk first, elderly first within a tier.</summary>
    public List<EvacuationEntry> Evacuation { get; } = [];

    /// <summary>Vehicles, stations and road cells cut off by water.</summary>
    public List<CutOffEntity> CutOff { get; } = [];

    /// <summary>The Pasquill-Gifford stability class the gas run used (gas runs only).</summary>
    public StabilityClass? StabilityClass { get; set; }

    /// <summary>What the fork carried over from the live twin (open cases, sensors in alarm) and what became of it, apart from what the scenario caused.</summary>
    public CarryOver? CarriedOver { get; set; }

    /// <summary>The routed river: upstream inflow and the hydrograph at each gauge (flood runs with a routed river).</summary>
    public RiverReport? River { get; set; }

    /// <summary>Drill scoring (drills only).</summary>
    public DrillReport? Drill { get; set; }

    /// <summary>Forecast against recorded (replays only).</summary>
    public ReplayReport? Replay { get; set; }
}
