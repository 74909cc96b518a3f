namespace CityTwin.TwinApi.Load;

/// <summary>
/// What the run did with one kind of input (sensor readings, vehicle positions or citizen reports). Sent = Accepted +
/// Rejected; Rejected counts overload answers (nothing logged), per-item validation rejections and failed requests;
/// Deferred counts accepted items the live twin applied only after the answer (readings) or could not apply (positions).
/// Latency is per request: a batch of readings or positions, or one report.
/// </summary>
public sealed record InputKindFigures(
    string Kind,
    long Requests,
    long Sent,
    long Accepted,
    long Rejected,
    long Overloaded,
    long Failed,
    long Deferred,
    double AchievedRate,
    LatencyFigures Latency,
    string? FirstError);
