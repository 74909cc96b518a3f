namespace CityTwin.Scenarios.Runs;

/// <summary>Something that happened in a run, at a simulated time: an injected event, a warning or alert raised by the fork's rules, a milestone.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Message, string? EntityId = null, string? Severity = null);
