namespace CityTwin.TwinApi.Load;

/// <summary>
/// Radius queries issued over HTTP while telemetry ran: rate, latency per request and mean entities returned; and the
/// latency floor of the same machine and load (<see cref="Floor"/>).
/// </summary>
public sealed record QueryFigures(
    double TargetRate,
    double RadiusM,
    long Sent,
    long Succeeded,
    long Failed,
    double AchievedRate,
    LatencyFigures Latency,
    long BehindSchedule,
    double MeanFeatures,
    string? FirstError)
{
    /// <summary>
    /// GET /health/live, which does no work, sent at <see cref="LoadRunner.FloorRate"/>/s beside the same load over the
    /// same period: what any answer costs on this machine under this load (scheduling, HTTP, the client), to compare
    /// the radius queries' latency with.
    /// </summary>
    public LatencyFigures? Floor { get; init; }
}
