using CityTwin.Scenarios.Runs;

namespace CityTwin.Scenarios.Forks;

/// <summary>
/// What a fork carried over from the live twin (open cases, sensors in alarm) and what happened to it in the fork, kept
/// apart from what the scenario caused: a forecast reports the scenario's effects, not the live twin's noise.
/// </summary>
public sealed class CarryOver
{
    /// <summary>How the carried-over cases' SLA clocks ran in the fork: <c>frozen</c> (default) or <c>running</c>.</summary>
    public string SlaClocks { get; set; } = "frozen";

    /// <summary>Open cases of the live twin, as they stood when the fork was made.</summary>
    public List<CarriedCase> Cases { get; init; } = [];

    /// <summary>Sensors in alarm when the fork was made.</summary>
    public List<CarriedAlarm> Alarms { get; init; } = [];

    /// <summary>Alerts the fork raised about what it carried over (escalations of carried cases when their clocks ran, an alarm clearing).</summary>
    public List<TimelineEntry> Timeline { get; } = [];
}
