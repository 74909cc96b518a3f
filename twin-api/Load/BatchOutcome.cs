namespace CityTwin.TwinApi.Load;

/// <summary>The answer to one telemetry batch: readings accepted (durable) and rejected, and whether the rejection was overload.</summary>
public readonly record struct BatchOutcome(int Accepted, int Rejected, bool Overloaded, bool Failed, string? Error);
