namespace CityTwin.TwinApi.Load;

/// <summary>
/// The bookkeeping check of a run: sent = accepted + rejected, and the event log gained exactly the accepted readings
/// (nothing acknowledged was lost, nothing rejected was logged). Null counts mean the log could not be read (HTTP target).
/// </summary>
public sealed record ConsistencyFigures(long? EventLogBefore, long? EventLogAfter, long? Logged, bool CountsAddUp, bool? NothingLost, string? Note);
