namespace CityTwin.Silo;

/// <summary>A snapshot of the silo as Orleans reports it (plus the event log), as shown by the API's health endpoint.</summary>
public sealed record SiloStatistics(
    string Name,
    string Address,
    TimeSpan Uptime,
    int Activations,
    int RecentlyUsedActivations,
    long MessagesReceived,
    long MessagesSent,
    bool IsOverloaded,
    long WorkingSetBytes,
    long EventLogAppends,
    long EventLogFailures);
