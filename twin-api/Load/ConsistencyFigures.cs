namespace CityTwin.TwinApi.Load;

/// <summary>
/// The bookkeeping check of a run. The top-level fields are the sensor readings': sent = accepted + rejected, and the
/// event log gained exactly the accepted readings (overload is refused before the append, so a rejected batch logs
/// nothing). <see cref="Kinds"/> has the check of each input kind, citizen reports also against the case store. Null
/// counts mean the log could not be read (HTTP target).
/// </summary>
public sealed record ConsistencyFigures(
    long? EventLogBefore,
    long? EventLogAfter,
    long? Logged,
    long? LoggedButRejected,
    bool CountsAddUp,
    bool? NothingLost,
    string? Note,
    IReadOnlyList<KindConsistency> Kinds);
