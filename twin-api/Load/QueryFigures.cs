namespace CityTwin.TwinApi.Load;

/// <summary>Radius queries issued over HTTP while telemetry ran: rate, latency per request and mean entities returned.</summary>
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
    string? FirstError);
