namespace CityTwin.Silo.EventLog;

/// <summary>
/// An input as stored in the event log, with its sequence number: unique in the log and ascending in the order the
/// appends were submitted, but not dense (failed batches and restarts leave gaps).
/// </summary>
public sealed record EventRecord(long Sequence, DateTimeOffset At, string Kind, string Key, byte[] Payload);
