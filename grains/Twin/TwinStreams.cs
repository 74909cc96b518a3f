namespace CityTwin.Grains.Twin;

/// <summary>Stream namespaces of the twin, consumed by the SignalR gateway and by aggregating grains.</summary>
public static class TwinStreams
{
    /// <summary>Alerts and warnings (<see cref="Model.Alert"/>), keyed by community id (or "district").</summary>
    public const string Alerts = "alerts";

    /// <summary>Changed entities (<see cref="Model.EntitySummary"/>), keyed by entity id.</summary>
    public const string EntityChanges = "entity-changes";

    /// <summary>Case changes, keyed by case id.</summary>
    public const string CaseChanges = "case-changes";

    /// <summary>Scenario run progress, keyed by run id.</summary>
    public const string ScenarioProgress = "scenario-progress";
}
