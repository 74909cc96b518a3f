namespace CityTwin.TwinApi.Load;

/// <summary>
/// The bookkeeping check of a run: sent = accepted + rejected, and the event log gained every accepted reading and
/// nothing else except readings of batches answered "overloaded" (the ingest path logs a batch before it delivers it,
/// so an overload during delivery leaves the batch logged but not acknowledged). Null counts mean the log could not
/// be read (HTTP target).
/// </summary>
public sealed record ConsistencyFigures(
    long? EventLogBefore,
    long? EventLogAfter,
    long? Logged,
    long? LoggedButRejected,
    bool CountsAddUp,
    bool? NothingLost,
    string? Note);
