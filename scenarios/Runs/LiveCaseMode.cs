namespace CityTwin.Scenarios.Runs;

/// <summary>What a fork does with the open cases it carries over from the live twin (<c>liveCases</c> in a scenario file).</summary>
public enum LiveCaseMode
{
    /// <summary>They keep their live state: no SLA clock, no escalation in simulated time.</summary>
    Frozen,

    /// <summary>Their SLA clocks run on the fork's clock, so they escalate as they would if nothing were done.</summary>
    Running,
}
