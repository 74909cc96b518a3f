namespace CityTwin.TwinApi.Hubs;

/// <summary>The kinds of push a subscription can ask for; the names are the client methods the server invokes.</summary>
[Flags]
public enum PushChannels
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary><c>alert</c>: alarms, SOS, welfare checks, offline sensors, violations.</summary>
    Alert = 1,

    /// <summary><c>warning</c>: river tiers and forecast warnings.</summary>
    Warning = 2,

    /// <summary><c>entityChanged</c>: an entity's new summary, throttled per entity.</summary>
    EntityChanged = 4,

    /// <summary><c>caseChanged</c>: a case moved through its loop.</summary>
    CaseChanged = 8,

    /// <summary><c>scenarioProgress</c>: a scenario run advanced.</summary>
    ScenarioProgress = 16,

    /// <summary>Every channel (the default).</summary>
    All = Alert | Warning | EntityChanged | CaseChanged | ScenarioProgress,
}
