namespace CityTwin.TwinApi.Load;

/// <summary>
/// The answer to one request (a batch of readings or positions, or one report): items accepted (durable) and rejected,
/// whether the rejection was overload or a failure, and how many accepted items the twin deferred (applied after the
/// answer, or for positions not applied).
/// </summary>
public readonly record struct BatchOutcome(int Accepted, int Rejected, bool Overloaded, bool Failed, string? Error, int Deferred = 0);
