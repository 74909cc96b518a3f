namespace CityTwin.TwinApi.Load;

/// <summary>
/// What driving the load did. The top-level counts are the sensor readings' (Sent = Accepted + Rejected; Rejected counts
/// overload answers (Orleans' LimitExceededException, HTTP 503/429), per-item validation rejections and failed batches);
/// <see cref="Kinds"/> has the same figures for each input kind: readings, vehicle positions and citizen reports.
/// Rates are per second of the driven duration.
/// </summary>
public sealed record IngestFigures(
    double? TargetRate,
    double DurationSeconds,
    long Batches,
    long Sent,
    long Accepted,
    long Rejected,
    long Overloaded,
    long Failed,
    double AchievedRate,
    LatencyFigures BatchLatency,
    long BatchesBehindSchedule,
    long GrainCount,
    long StorageWrites,
    double StorageWritesPerSecond,
    long EventLogAppends,
    double EventLogAppendsPerSecond,
    string Mix,
    string? FirstError,
    IReadOnlyList<InputKindFigures> Kinds);
