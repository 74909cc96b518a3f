namespace CityTwin.Silo.Storage;

/// <summary>A stored payload and its version; version 0 means "no record".</summary>
public sealed record StoredGrainState(byte[] Payload, long Version, DateTimeOffset ModifiedAt);
