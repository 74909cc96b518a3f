namespace CityTwin.TwinApi.Load;

/// <summary>The settings echoed into a report (no connection strings: they may hold passwords).</summary>
public sealed record RunSettings(
    string Mode,
    string Store,
    int Buildings,
    double SensorsPerBuilding,
    int Seed,
    double? Rate,
    double DurationSeconds,
    double WarmupSeconds,
    int BatchSize,
    int Concurrency,
    double QueryRate);
