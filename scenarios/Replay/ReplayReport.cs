namespace CityTwin.Scenarios.Replay;

/// <summary>What a replay fed into its fork and how the forecast made at its start compares with what was recorded.</summary>
public sealed record ReplayReport(DateTimeOffset From, DateTimeOffset To, double Speed, int Readings, int Positions, int Skipped, IReadOnlyList<ReplayComparison> Comparisons);
