namespace CityTwin.Scenarios.Replay;

/// <summary>One recorded value beside what the forecast made at the replay's start said for that time.</summary>
public sealed record ReplayPoint(DateTimeOffset At, double Recorded, double? Forecast);
