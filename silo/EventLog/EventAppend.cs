namespace CityTwin.Silo.EventLog;

/// <summary>An input to append to the event log: when it happened, what kind, which entity, and its JSON payload.</summary>
public readonly record struct EventAppend(DateTimeOffset At, string Kind, string Key, ReadOnlyMemory<byte> Payload);
