namespace CityTwin.TwinApi.Load;

/// <summary>
/// The plain-PostgreSQL approach run in the same process after the twin: the same readings upserted into a sensors
/// table and appended to a readings table, one committed transaction per batch. Ratio = our achieved rate / its rate.
/// </summary>
public sealed record BaselineFigures(
    bool Ran,
    string Note,
    double DurationSeconds,
    long Batches,
    long Readings,
    double Rate,
    LatencyFigures BatchLatency,
    double? Ratio);
