namespace CityTwin.Silo;

/// <summary>
/// The target's queue (or the silo's in-flight limit) is full, so the call was rejected instead of buffered.
/// Callers should back off and retry; the HTTP API maps it to 503 with Retry-After.
/// </summary>
public sealed class GrainOverloadedException(string message) : Exception(message);
