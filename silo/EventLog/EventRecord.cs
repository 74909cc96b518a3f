namespace CityTwin.Silo.EventLog;

/// <summary>An input as stored in the event log, with its log-assigned sequence number (ascending in append order).</summary>
public sealed record EventRecord(long Sequence, DateTimeOffset At, string Kind, string Key, byte[] Payload);
